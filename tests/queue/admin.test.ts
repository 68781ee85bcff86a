/**
 * Failed jobs re-driven: a job that ran out of attempts is listed with its
 * error, retried back to wait with its attempts reset, failed again and
 * dropped; through the module and through `npm run queue` (scripts/queue.ts)
 * against the real test Redis, under a prefix of this file's own.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import { Queue, Worker } from 'bullmq'
import { afterAll, describe, expect, it } from 'vitest'
import {
  dropJobs,
  formatJobs,
  jobsIn,
  retryJobs,
  summarize,
} from '../../core/platform/queue/admin.ts'
import { QUEUE_NAMES } from '../../core/platform/queue/names.ts'
import { createRedis } from '../../core/platform/redis/index.ts'
import { parseQueueArgs, runQueueCommand } from '../../scripts/queue.ts'
import { testRedisUrl } from '../support/env.ts'

const repoRoot = resolve(import.meta.dirname, '../..')
const prefix = `test-queue-admin-${randomUUID().slice(0, 8)}`
const name = QUEUE_NAMES.mockups
const connection = createRedis(testRedisUrl(), { role: 'queue', name: 'test-queue-admin' })
const queue = new Queue(name, { connection, prefix })
// Takes jobs by hand: no processor, so nothing runs a retried job behind the test's back.
const taker = new Worker(name, null, { connection, prefix, autorun: false })

afterAll(async () => {
  const steps = [
    () => taker.close(true),
    () => queue.obliterate({ force: true }),
    () => queue.close(),
    () => connection.quit(),
  ]
  for (const step of steps) await step().catch(() => {})
})

/** Adds a one-attempt job and fails it the way a worker would. */
async function failedJob(reason: string): Promise<string> {
  const added = await queue.add('render', { n: 1 }, { attempts: 1 })
  const job = await taker.getNextJob('token')
  expect(job?.id).toBe(added.id)
  await job!.moveToFailed(new Error(reason), 'token')
  return added.id!
}

describe('queue admin module', () => {
  it('Should list a failed job, retry it to wait with attempts reset, then drop it', async () => {
    const id = await failedJob('database down\nat line 2')
    const [listed] = (await jobsIn(queue, 'failed', 10)).map(summarize)
    expect(listed).toMatchObject({ id, name: 'render', attemptsMade: 1 })
    expect(listed?.failedReason).toBe('database down\nat line 2')
    expect(listed?.finishedOn).toBeGreaterThan(0)

    const retried = await retryJobs(await jobsIn(queue, 'failed', 10), 'failed')
    expect(retried.done.map((j) => j.id)).toEqual([id])
    expect(await queue.getJobState(id)).toBe('waiting')
    expect((await queue.getJob(id))?.attemptsMade).toBe(0)

    // It fails again; this time it is dropped.
    const taken = await taker.getNextJob('token')
    await taken!.moveToFailed(new Error('still down'), 'token')
    const dropped = await dropJobs(await jobsIn(queue, 'failed', 10))
    expect(dropped.done.map((j) => j.id)).toEqual([id])
    expect(await queue.getJob(id)).toBeUndefined()
    expect(await queue.getJobCounts('failed', 'wait')).toEqual({ failed: 0, wait: 0 })
  })

  it('Should report a job moved since it was listed instead of failing', async () => {
    const id = await failedJob('boom')
    const listed = await jobsIn(queue, 'failed', 10)
    await retryJobs(listed, 'failed')
    const again = await retryJobs(listed, 'failed')
    expect(again.done).toEqual([])
    expect(again.skipped.map((s) => s.job.id)).toEqual([id])
    await queue.drain()
  })

  it('Should print one aligned line per job, the error on one line and truncated', () => {
    const text = formatJobs(
      [
        {
          id: '7',
          name: 'render',
          attemptsMade: 10,
          failedReason: `a\n${'x'.repeat(50)}`,
          finishedOn: 0,
        },
        { id: '12', name: 'r', attemptsMade: 1 },
      ],
      20,
    )
    expect(text.split('\n')).toEqual([
      'id  name    attempts  finishedOn                failedReason',
      `7   render  10        1970-01-01T00:00:00.000Z  a ${'x'.repeat(17)}…`,
      '12  r       1         -                         -',
    ])
  })
})

describe('npm run queue', () => {
  const env = { REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix }
  async function run(argv: string[]): Promise<string> {
    let out = ''
    await runQueueCommand(parseQueueArgs(argv), env, (text) => {
      out += text
    })
    return out
  }

  it('Should list, retry and drop failed jobs', async () => {
    const id = await failedJob('disk full')
    const list = await run(['list', name, '--state', 'failed'])
    expect(list).toContain(`1 failed jobs in ${prefix}:${name}`)
    expect(list).toMatch(new RegExp(`^${id}\\s+render\\s+1\\s+\\S+Z\\s+disk full$`, 'm'))

    expect(await run(['retry', name])).toContain('retried 1, skipped 0')
    expect(await queue.getJobState(id)).toBe('waiting')

    const taken = await taker.getNextJob('token')
    await taken!.moveToFailed(new Error('disk full'), 'token')
    const drop = await run(['drop', name, '--limit', '5', '--prefix', prefix])
    expect(drop).toMatch(new RegExp(`^${id}\\s+render`, 'm'))
    expect(drop).toContain('dropped 1, skipped 0')
    expect(await queue.getJob(id)).toBeUndefined()
  })

  it.each([
    [[], /expected an action and a queue/],
    [['list', 'bogus'], /unknown queue "bogus"; valid: signal-ingestion, mockups, benchmarks/],
    [['purge', name], /action or --state/],
    [['retry', name, '--state', 'wait'], /expected one of "failed"\|"completed"/],
    [['list', name, '--limit', '0'], /--limit/],
    [['list', name, '--prefix', 'a b'], /--prefix/],
    [['list', name, '--sate', 'failed'], /Unknown option '--sate'/],
  ])('Should refuse %j', (argv, message) => {
    expect(() => parseQueueArgs(argv)).toThrow(message)
  })

  // One process end to end (tsx start-up is slow on a loaded machine): the exit status and usage.
  it('Should exit 2 with the usage, naming the valid queues, as a script', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'scripts/queue.ts'), 'list', 'bogus'],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } },
    )
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('valid: signal-ingestion, mockups, benchmarks')
    expect(result.stderr).toContain('usage: npm run queue -- list|retry|drop <queue>')
  }, 60_000)
})
