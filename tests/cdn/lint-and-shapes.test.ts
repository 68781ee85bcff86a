/**
 * The CDN scripts checked by other tools: shellcheck, and the real AWS CLI's
 * own parameter validation of every JSON document the scripts send (it checks
 * names, required members and types against the service model before any
 * request, so pointing it at a closed local port sends nothing anywhere).
 * Each part skips, saying why, when its tool is not installed.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createAwsStub, REPO_ROOT, runScript, which } from './support/aws-stub.ts'

// Enough for one configure_cdn.sh run; what each returns does not matter here.
const STUB_REPLIES = {
  'sts get-caller-identity': { stdout: '123456789012\n' },
  's3api get-bucket-location': { stdout: 'us-east-1\n' },
  'cloudfront list-origin-access-controls': { stdout: 'None\n' },
  'cloudfront create-origin-access-control': { stdout: 'E1OACEXAMPLE01\n' },
  'cloudfront describe-function': { stderr: 'NoSuchFunctionExists\n', status: 254 },
  'cloudfront create-function': { stdout: 'ETAG1\n' },
  'cloudfront publish-function': { stdout: 'arn:aws:cloudfront::123456789012:function/f\n' },
  'cloudfront create-distribution': { stdout: 'E2QWRUHAPOMQZL\n' },
  's3api get-bucket-policy': { stderr: 'NoSuchBucketPolicy\n', status: 254 },
  's3api put-bucket-policy': {},
}

const SCRIPTS = ['scripts/configure_cdn.sh', 'scripts/invalidate_cache.sh', 'scripts/cdn/common.sh']

describe('shellcheck', () => {
  const shellcheck = which('shellcheck')
  if (!shellcheck) console.warn('shellcheck not installed: skipped (apt-get install -y shellcheck)')

  test.skipIf(!shellcheck).each(SCRIPTS)('Should find nothing in %s', (script) => {
    // -x: follow the `source` of scripts/cdn/common.sh.
    const result = spawnSync(shellcheck!, ['-x', '--severity=style', join(REPO_ROOT, script)], {
      encoding: 'utf8',
    })
    expect(result.stdout).toBe('')
    expect(result.status).toBe(0)
  })
})

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

describe('AWS CLI parameter validation', () => {
  // The real CLI: found on the test's PATH, never the stub.
  const aws = which('aws')
  if (!aws) console.warn('aws CLI not installed: shape checks skipped (apt-get install -y awscli)')
  let dir: string
  let endpoint: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdn-shapes-'))
    endpoint = `http://127.0.0.1:${await closedPort()}`
  })

  /** Runs the real CLI with throwaway credentials against the closed port. */
  function validate(args: string[]): string {
    const result = spawnSync(aws!, [...args, '--endpoint-url', endpoint], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        // The machine's own AWS_* settings stay out (a profile, a token).
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_MAX_ATTEMPTS: '1',
      },
    })
    return `${result.stdout}${result.stderr}`
  }
  // Validation passed: the CLI got as far as connecting.
  const accepted = (output: string) => {
    expect(output).not.toContain('Parameter validation failed')
    expect(output).toMatch(/Could not connect to the endpoint URL/)
  }

  function dryRunDistribution(): string {
    const run = runScript(
      'configure_cdn.sh',
      ['--dry-run', 'mockup-assets', 'api.example.com'],
      createAwsStubFor(),
    )
    expect(run.status).toBe(0)
    return run.stdout
  }
  const stubs: ReturnType<typeof createAwsStub>[] = []
  const createAwsStubFor = () => {
    const s = createAwsStub({ withAws: false })
    stubs.push(s)
    return s
  }
  afterAll(() => {
    for (const s of stubs) s.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  test.skipIf(!aws)('Should accept the distribution config', () => {
    const file = join(dir, 'distribution.json')
    writeFileSync(file, dryRunDistribution())
    accepted(
      validate(['cloudfront', 'create-distribution', '--distribution-config', `file://${file}`]),
    )
  })

  test.skipIf(!aws)('Should reject a broken one (the check can fail)', () => {
    const config = JSON.parse(dryRunDistribution()) as { DefaultCacheBehavior: { MinTTL: unknown } }
    config.DefaultCacheBehavior.MinTTL = 'zero'
    const file = join(dir, 'broken.json')
    writeFileSync(file, JSON.stringify(config))
    const output = validate([
      'cloudfront',
      'create-distribution',
      '--distribution-config',
      `file://${file}`,
    ])
    expect(output).toContain('Parameter validation failed')
    expect(output).toContain('DefaultCacheBehavior.MinTTL')
  })

  test.skipIf(!aws)('Should accept the Origin Access Control and function configs sent', () => {
    const s = createAwsStub({ replies: STUB_REPLIES })
    stubs.push(s)
    const run = runScript('configure_cdn.sh', ['mockup-assets', 'api.example.com'], s)
    expect(run.stderr).not.toContain('aws stub')
    expect(run.status).toBe(0)
    // The stub kept copies of the files; the CLI reads them again from there.
    const resend = (name: string) => {
      const call = s.call(name)
      return call.args.map((arg) => {
        const m = /^(fileb?:\/\/)(.+)$/.exec(arg)
        if (!m) return arg
        const copy = join(dir, `${name.replace(' ', '-')}-${m[2]!.split('/').pop()}`)
        writeFileSync(copy, call.files[m[2]!]!)
        return `${m[1]}${copy}`
      })
    }
    // Their --query expressions go along: the CLI parses those too.
    accepted(validate(resend('cloudfront create-origin-access-control')))
    accepted(validate(resend('cloudfront create-function')))
  })

  test.skipIf(!aws)('Should accept the invalidation batch', () => {
    const run = runScript(
      'invalidate_cache.sh',
      ['--dry-run', 'E2QWRUHAPOMQZL', '/index.html', '/assets/*'],
      createAwsStubFor(),
    )
    expect(run.status).toBe(0)
    const file = join(dir, 'batch.json')
    writeFileSync(file, run.stdout)
    accepted(
      validate([
        'cloudfront',
        'create-invalidation',
        '--distribution-id',
        'E2QWRUHAPOMQZL',
        '--invalidation-batch',
        `file://${file}`,
      ]),
    )
  })
})
