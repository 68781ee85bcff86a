/**
 * scripts/invalidate_cache.sh against a stub `aws` (tests/cdn/support/aws-stub.ts):
 * the invalidation batch it sends, the printed ID, and its errors.
 */

import { afterEach, describe, expect, test } from 'vitest'
import { CONSOLE_ASSETS } from '../../edge/console/assets.generated.ts'
import { type AwsReply, type AwsStub, createAwsStub, runScript } from './support/aws-stub.ts'

const DIST_ID = 'E2QWRUHAPOMQZL'
const INVALIDATION_ID = 'I2J0I21PCUYOIK'

const REPLIES: Record<string, AwsReply> = {
  'sts get-caller-identity': { stdout: '123456789012\n' },
  'cloudfront create-invalidation': { stdout: `${INVALIDATION_ID}\n` },
}

interface InvalidationBatch {
  Paths: { Quantity: number; Items: string[] }
  CallerReference: string
}

const stubs: AwsStub[] = []
function stub(options: Parameters<typeof createAwsStub>[0] = {}): AwsStub {
  const s = createAwsStub({ replies: REPLIES, ...options })
  stubs.push(s)
  return s
}
afterEach(() => {
  for (const s of stubs.splice(0)) s.cleanup()
})

const invalidate = (s: AwsStub, ...args: string[]) => runScript('invalidate_cache.sh', args, s)
const sentBatch = (s: AwsStub) => s.sentJson('cloudfront create-invalidation') as InvalidationBatch

describe('invalidate_cache.sh', () => {
  test('Should invalidate /* by default and print only the invalidation ID', () => {
    const s = stub()
    const run = invalidate(s, DIST_ID)
    expect(run.status).toBe(0)
    expect(run.stdout).toBe(`${INVALIDATION_ID}\n`)
    expect(s.calls().map((c) => c.args.slice(0, 2).join(' '))).toEqual([
      'sts get-caller-identity',
      'cloudfront create-invalidation',
    ])
    const call = s.call('cloudfront create-invalidation')
    expect(call.args).toEqual(
      expect.arrayContaining(['--distribution-id', DIST_ID, '--query', 'Invalidation.Id']),
    )
    expect(sentBatch(s)).toEqual({
      Paths: { Quantity: 1, Items: ['/*'] },
      CallerReference: expect.stringMatching(/^invalidate_cache-\d+-\d+-\d+$/),
    })
  })

  test('Should send the paths given, quotes and spaces intact', () => {
    const s = stub()
    const paths = ['/index.html', '/assets/*', '/mockups/a "b" c.webp', '/back\\slash']
    expect(invalidate(s, DIST_ID, ...paths).status).toBe(0)
    expect(sentBatch(s).Paths).toEqual({ Quantity: 4, Items: paths })
  })

  test('Should use a new CallerReference each time', () => {
    const s = stub()
    const refs = [0, 1].map(() => {
      const t = stub()
      expect(invalidate(t, DIST_ID).status).toBe(0)
      return sentBatch(t).CallerReference
    })
    expect(s.calls()).toEqual([])
    expect(refs[0]).not.toBe(refs[1])
  })

  test('Should invalidate, under --publish, the one console path a deploy rewrites: /', () => {
    // Every other file of the console has its content's hash in its name.
    for (const asset of CONSOLE_ASSETS) expect(asset.name).toMatch(/\.[0-9a-f]{12}\.[a-z]+$/)
    const s = stub()
    expect(invalidate(s, '--publish', DIST_ID).status).toBe(0)
    expect(sentBatch(s).Paths).toEqual({ Quantity: 1, Items: ['/'] })
    const t = stub()
    const run = invalidate(t, '--publish', DIST_ID, '/x')
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('--publish takes no paths')
    expect(t.calls()).toEqual([])
  })

  test('Should print the batch under --dry-run and call nothing', () => {
    const s = stub({ withAws: false })
    const run = invalidate(s, '--dry-run', DIST_ID, '/a')
    expect(run.status).toBe(0)
    expect((JSON.parse(run.stdout) as InvalidationBatch).Paths).toEqual({
      Quantity: 1,
      Items: ['/a'],
    })
  })

  describe('When the arguments are wrong', () => {
    test.each([
      [[]],
      [['--bogus', DIST_ID]],
      [['e2qwruhapomqzl']],
      [['X2QWRUHAPOMQZL']],
      [['E2Q']],
      [['E2QWRU-APOMQZL']],
      [[DIST_ID, 'index.html']],
      [[DIST_ID, '/ok', 'assets/*']],
      [[DIST_ID, '']],
      [[DIST_ID, '/line\nbreak']],
    ])('Should exit 2 with the usage for %j, calling nothing', (args) => {
      const s = stub()
      const run = invalidate(s, ...args)
      expect(run.status).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toContain('Usage: invalidate_cache.sh')
      expect(s.calls()).toEqual([])
    })
  })

  test('Should exit 127 saying so when aws is not installed', () => {
    const run = invalidate(stub({ withAws: false }), DIST_ID)
    expect(run.status).toBe(127)
    expect(run.stderr).toContain('the AWS CLI (aws) is not on PATH')
  })

  test('Should exit 3 without invalidating when aws has no credentials', () => {
    const s = stub({
      replies: {
        ...REPLIES,
        'sts get-caller-identity': { stderr: '\nUnable to locate credentials.\n', status: 253 },
      },
    })
    const run = invalidate(s, DIST_ID)
    expect(run.status).toBe(3)
    expect(run.stderr).toContain('the AWS CLI is not configured')
    expect(run.stderr).toContain('Unable to locate credentials')
    expect(s.calls()).toHaveLength(1)
  })

  test('Should exit 1 with the CLI message when the distribution does not exist', () => {
    const s = stub({
      replies: {
        ...REPLIES,
        'cloudfront create-invalidation': {
          stderr:
            '\nAn error occurred (NoSuchDistribution) when calling the CreateInvalidation operation: The specified distribution does not exist.\n',
          status: 254,
        },
      },
    })
    const run = invalidate(s, DIST_ID)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('NoSuchDistribution')
  })
})
