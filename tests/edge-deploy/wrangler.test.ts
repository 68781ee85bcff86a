/**
 * The Workers deploy (deploy/edge/wrangler.toml): the config as wrangler reads
 * it, the offline dry-run build and its size check (scripts/check_edge_bundle.ts),
 * and the built bundle itself answering on workerd (Miniflare) with the
 * config's vars plus the secrets. Skips, saying why, where wrangler is absent.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { edgeConfigSchema, loadEdgeConfig } from '../../edge/config/index.ts'
import { WRANGLER_CONFIG } from '../../scripts/check_edge_bundle.ts'
import { COMPATIBILITY_DATE } from '../../scripts/edge/workerd.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const WRANGLER = join(ROOT, 'node_modules/wrangler')
const hasWrangler = existsSync(join(WRANGLER, 'package.json'))
if (!hasWrangler) console.warn('tests/edge-deploy skipped: wrangler is not installed (npm ci)')

/** The settings that must never be written in wrangler.toml. */
const SECRETS = [
  'EDGE_SERVICE_KEY',
  'API_KEYS',
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'NEON_DATABASE_URL',
]
// Well-formed values, never contacted: /healthz reads neither store.
const FAKE_SECRETS = {
  EDGE_SERVICE_KEY: 'edge-service-key-0123456789abcdef',
  API_KEYS: 'storefront:0123456789abcdef0123456789',
  UPSTASH_REDIS_REST_URL: 'https://example.upstash.io',
  UPSTASH_REDIS_REST_TOKEN: 'token',
  NEON_DATABASE_URL: 'postgres://user:pass@example.neon.tech/db',
}

interface WranglerConfig {
  main?: string
  compatibility_date?: string
  compatibility_flags: string[]
  vars: Record<string, unknown>
}

async function readWranglerConfig(): Promise<WranglerConfig> {
  const { unstable_readConfig } = await import('wrangler')
  return unstable_readConfig({ config: join(ROOT, WRANGLER_CONFIG) }) as WranglerConfig
}

describe.skipIf(!hasWrangler)('deploy/edge/wrangler.toml', () => {
  test('Should point main at the workerd entry, with no compatibility flags', async () => {
    const config = await readWranglerConfig()
    expect(config.main).toBe(join(ROOT, 'edge/entry/workerd.ts'))
    expect(config.compatibility_flags).toEqual([])
    // The same date the workerd tests run under.
    expect(config.compatibility_date).toBe(COMPATIBILITY_DATE)
  })

  test('Should hold only settings the edge schema knows, and no secret', async () => {
    const { vars } = await readWranglerConfig()
    const known = Object.keys(edgeConfigSchema.shape)
    expect(Object.keys(vars).filter((k) => !known.includes(k))).toEqual([])
    expect(Object.keys(vars).filter((k) => SECRETS.includes(k))).toEqual([])
    expect(vars).toMatchObject({ SCORE_CACHE_TTL_SECONDS: '300' })
    // Core's public API over HTTPS: never the schema's local default.
    expect(String(vars.CORE_URL)).toMatch(/^https:\/\//)
  })

  test('Should validate with the secrets added, and not without them', async () => {
    const { vars } = await readWranglerConfig()
    expect(loadEdgeConfig({ ...vars, ...FAKE_SECRETS })).toMatchObject({
      EDGE_CACHE: 'upstash',
      EDGE_DB: 'neon',
      SCORE_CACHE_TTL_SECONDS: 300,
    })
    expect(() => loadEdgeConfig(vars)).toThrow(/NEON_DATABASE_URL: required/)
  })

  test('Should document `wrangler secret put` for each secret', () => {
    const readme = readFileSync(join(ROOT, 'deploy/edge/README.md'), 'utf8')
    const toml = readFileSync(join(ROOT, WRANGLER_CONFIG), 'utf8')
    for (const name of SECRETS) {
      expect(readme).toContain(`wrangler secret put ${name}`)
      expect(toml).toContain(`wrangler secret put ${name}`)
    }
  })
})

describe.skipIf(!hasWrangler)('scripts/check_edge_bundle.ts', () => {
  let outdir: string
  let run: { status: number | null; stdout: string; stderr: string }
  const check = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/check_edge_bundle.ts'), ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    )

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'edge-deploy-'))
    run = check('--outdir', outdir)
  }, 120_000)
  afterAll(() => rmSync(outdir, { recursive: true, force: true }))

  test('Should build offline and report the size within the 3 MiB gzip limit', () => {
    expect(run.stderr).not.toContain('failed')
    expect(run.status).toBe(0)
    const m =
      /edge bundle \(workerd\.js\): ([\d.]+) KiB raw, ([\d.]+) KiB gzip; limit 3072\.0 KiB gzip .*: OK/.exec(
        run.stdout,
      )
    expect(m, run.stdout).not.toBeNull()
    const [raw, gzip] = [Number(m![1]), Number(m![2])]
    expect(gzip).toBeLessThan(raw)
    expect(gzip).toBeLessThanOrEqual(3072)
    console.info(run.stdout.trim())
  })

  test('Should leave no scratch folder beside wrangler.toml', () => {
    expect(existsSync(join(ROOT, 'deploy/edge/.wrangler/tmp'))).toBe(false)
  })

  test('Should fail (exit 1) when the bundle is over the limit', () => {
    const over = check('--limit-mib', '0.05')
    expect(over.status).toBe(1)
    expect(over.stdout).toContain('OVER THE LIMIT')
  }, 120_000)

  test('Should refuse a bad limit (exit 2)', () => {
    const bad = check('--limit-mib', 'lots')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--limit-mib')
  })

  describe('The built bundle on workerd', () => {
    async function start(bindings: Record<string, string>): Promise<Miniflare> {
      const config = await readWranglerConfig()
      const mf = new Miniflare({
        modules: true,
        // The source, not its path: workerd would follow the bundle's
        // sourceMappingURL/sources out of the temporary folder and refuse.
        // workerd would follow the bundle's sourceMappingURL out of its folder and refuse.
        script: readFileSync(join(outdir, 'workerd.js'), 'utf8').replace(
          /\/\/# sourceMappingURL=.*$/m,
          '',
        ),
        compatibilityDate: config.compatibility_date,
        bindings: { ...(config.vars as Record<string, string>), ...bindings },
      })
      await mf.ready
      return mf
    }

    test('Should answer /healthz with the vars and secrets set', async () => {
      const mf = await start(FAKE_SECRETS)
      try {
        const res = await mf.dispatchFetch('http://edge.test/healthz')
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ status: 'ok' })
        // Internal routes are not on the public app: the CDN's deny rules are a second wall.
        expect((await mf.dispatchFetch('http://edge.test/metrics')).status).toBe(404)
      } finally {
        await mf.dispose()
      }
    })

    test('Should fail every request when a secret is missing', async () => {
      const { NEON_DATABASE_URL: _, ...withoutNeon } = FAKE_SECRETS
      const mf = await start(withoutNeon)
      try {
        const res = await mf.dispatchFetch('http://edge.test/healthz')
        expect(res.status).toBe(500)
        await res.arrayBuffer()
      } finally {
        await mf.dispose()
      }
    })
  })
})
