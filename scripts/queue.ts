/**
 * @module
 * Failed jobs from the command line (`npm run queue -- ...`): see them,
 * re-drive them once the cause is fixed, or drop what must not run again.
 * REDIS_URL and QUEUE_PREFIX are read as the services read them.
 *
 *   list|retry|drop <queue> [--state failed] [--limit 100] [--prefix P]
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Queue } from 'bullmq'
import { z } from 'zod'
import { configSchema, loadConfig } from '../core/platform/config/index.ts'
import {
  type ActionResult,
  dropJobs,
  formatJobs,
  JOB_STATES,
  jobsIn,
  RETRY_STATES,
  retryJobs,
  summarize,
} from '../core/platform/queue/admin.ts'
import { ALL_QUEUES, QUEUE_NAMES } from '../core/platform/queue/names.ts'
import { closeRedis, createRedis } from '../core/platform/redis/index.ts'
import { withTimeout } from '../edge/cache/timeout.ts'
import { runCli, UsageError } from '../gpu-worker/sd/cli/args.ts'

const USAGE = `usage: npm run queue -- list|retry|drop <queue> [options]
    list                  prints id, name, attemptsMade, finishedOn, failedReason
    retry                 moves the jobs back to wait with their attempts reset (failed or completed)
    drop                  prints the jobs, then removes them
  <queue>                 ${ALL_QUEUES.join(', ')}
  --state S               ${JOB_STATES.join(', ')} (default failed; retry: ${RETRY_STATES.join(', ')})
  --limit N               newest N jobs, 1-10000 (default 100)
  --prefix P              BullMQ key prefix (default $QUEUE_PREFIX, else bull)`

/** The command line, checked in one place so every mistake exits 2 with the usage. */
const commandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal(['list', 'drop']), state: z.enum(JOB_STATES) }),
  z.object({ action: z.literal('retry'), state: z.enum(RETRY_STATES) }),
])
const limitSchema = z.coerce.number().int().min(1).max(10_000)
const queueSchema = z.enum(QUEUE_NAMES, {
  error: (issue) => `unknown queue ${JSON.stringify(issue.input)}; valid: ${ALL_QUEUES.join(', ')}`,
})

/** The command line as a command. @throws UsageError (or parseArgs' error) on a bad one */
export function parseQueueArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      state: { type: 'string', default: 'failed' },
      limit: { type: 'string', default: '100' },
      prefix: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length !== 2) throw new UsageError('expected an action and a queue')
  const check = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
    const result = schema.safeParse(value)
    if (result.success) return result.data
    throw new UsageError(`${what}: ${result.error.issues.map((i) => i.message).join('; ')}`)
  }
  const [action, queue] = positionals
  return {
    ...check(commandSchema, { action, state: values.state }, 'action or --state'),
    queue: check(queueSchema, queue, 'queue'),
    limit: check(limitSchema, values.limit, '--limit'),
    prefix:
      values.prefix === undefined
        ? undefined
        : check(configSchema.shape.QUEUE_PREFIX, values.prefix, '--prefix'),
  }
}

/** A parsed command line. */
export type QueueCommand = ReturnType<typeof parseQueueArgs>

function report(write: (text: string) => void, verb: string, result: ActionResult): void {
  for (const { job, reason } of result.skipped) write(`skipped ${job.id}: ${reason}\n`)
  write(`${verb} ${result.done.length}, skipped ${result.skipped.length}\n`)
}

/** Runs one command against the Redis and prefix `env` names, printing through `write`. */
export async function runQueueCommand(
  command: QueueCommand,
  env: Record<string, string | undefined>,
  write: (text: string) => void,
): Promise<void> {
  const config = loadConfig(env)
  if (!config.REDIS_URL) throw new Error('REDIS_URL is unset: which Redis holds the queues?')
  const prefix = command.prefix ?? config.QUEUE_PREFIX
  const redis = createRedis(config.REDIS_URL, { role: 'queue', name: 'queue-cli' })
  const queue = new Queue(command.queue, { connection: redis, prefix })
  try {
    // A queue connection waits for Redis for ever; an operator wants an answer.
    await withTimeout(queue.waitUntilReady(), 5000, `connecting to Redis (${prefix})`)
    const jobs = await jobsIn(queue, command.state, command.limit)
    write(
      `${jobs.length} ${command.state} jobs in ${prefix}:${command.queue} (newest first, limit ${command.limit})\n`,
    )
    if (jobs.length > 0) write(`${formatJobs(jobs.map(summarize))}\n`)
    if (command.action === 'retry') report(write, 'retried', await retryJobs(jobs, command.state))
    if (command.action === 'drop') report(write, 'dropped', await dropJobs(jobs))
  } finally {
    await queue.close()
    await closeRedis(redis)
  }
}

// Run as a script only: the tests import the two functions above.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli(USAGE, () =>
    runQueueCommand(parseQueueArgs(process.argv.slice(2)), process.env, (text) =>
      process.stdout.write(text),
    ),
  )
}
