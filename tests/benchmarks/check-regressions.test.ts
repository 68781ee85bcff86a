/**
 * The regression check on real PostgreSQL: history read per configuration,
 * the `benchmark_regression` gauge, and scripts/check_regressions.ts (table,
 * exit code, Prometheus text file) run as a process.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type pg from 'pg'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkRegressions, registerBenchmarkRegressionGauge } from '../../core/benchmarks/index.ts'
import { createPool, migrate } from '../../core/platform/db/index.ts'
import { parsePrometheusText } from '../../core/platform/metrics/exposition.ts'
import { main as checkMain } from '../../scripts/check_regressions.ts'
import { createTestSchema, type TestSchema } from '../support/db.ts'

const ROOT = join(import.meta.dirname, '../..')
let schema: TestSchema
let pool: pg.Pool
let dir: string

/** Inserts a score run `daysAgo` days back. */
async function scoreRun(daysAgo: number, cachedS: number, target = 'local', runs = 100) {
  await pool.query(
    `INSERT INTO score_benchmarks (ran_at, runs, target, uncached_total_s, cached_total_s,
       uncached_p50_ms, uncached_p95_ms, uncached_p99_ms, cached_p50_ms, cached_p95_ms, cached_p99_ms,
       speedup, runtime)
     VALUES (now() - make_interval(days => $1), $2, $3, 2.4, $4, 20, 30, 40, 0.7, 1, 1.5, $5, 'node')`,
    [daysAgo, runs, target, cachedS, 2.4 / cachedS],
  )
}

async function mockupRun(daysAgo: number, unetMs: number, provider = 'cpu') {
  await pool.query(
    `INSERT INTO mockup_benchmarks (ran_at, runs, steps, width, height, provider, prompt,
       total_p50_ms, tokenize_ms, text_encoder_ms, unet_ms, vae_ms, composite_ms, encode_ms, runtime)
     VALUES (now() - make_interval(days => $1), 3, 20, 512, 512, $2, 'shirt design',
       $3 + 200, 1, 30, $3, 120, 19, 30, 'node')`,
    [daysAgo, provider, unetMs],
  )
}

beforeAll(async () => {
  schema = await createTestSchema('regress')
  pool = createPool({ url: schema.url, schema: schema.schema, size: 2, name: 'regress-test' })
  await migrate(pool, { schema: schema.schema })
  dir = await mkdtemp(join(tmpdir(), 'regress-'))
})

afterAll(async () => {
  await pool?.end()
  await schema?.drop()
  await rm(dir, { recursive: true, force: true })
})

/** The search path in the URL: what DATABASE_URL carries for the script. */
function schemaUrl(): string {
  const url = new URL(schema.url)
  url.searchParams.set('options', `-c search_path=${schema.schema}`)
  return url.toString()
}

/** The script's main in this process (a spawn costs seconds); resolves to its table and verdict. */
async function runMain(options: { benchmark?: string } = {}) {
  const lines: string[] = []
  const regressed = await checkMain({
    databaseUrl: schemaUrl(),
    log: (line) => lines.push(line),
    ...options,
  })
  return { regressed, stdout: lines.join('\n') }
}

/** The script as a process: argument parsing and exit codes. */
async function runScript(...args: string[]) {
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/check_regressions.ts', ...args],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: schemaUrl() } },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout + err.stderr,
    }),
  )
}

describe('check_regressions', () => {
  test('Should report no runs on empty tables and pass', async () => {
    expect(await checkRegressions(pool)).toEqual([
      { benchmark: 'score', status: 'no runs' },
      { benchmark: 'mockup', status: 'no runs' },
    ])
    const { regressed, stdout } = await runMain()
    expect(regressed).toBe(false)
    expect(stdout).toContain('score: no runs')
  })

  test('Should report insufficient history with two runs, and pass', async () => {
    await scoreRun(30, 0.08)
    await scoreRun(29, 0.5)
    const [score] = await checkRegressions(pool)
    expect(score?.status === 'compared' && score.comparisons[1]).toMatchObject({
      figure: 'cached',
      verdict: 'insufficient history',
      history: 1,
    })
    expect((await runMain()).regressed).toBe(false)
  })

  test('Should compare only runs of the same configuration, and fail on a regression', async () => {
    for (const [i, cached] of [0.08, 0.081, 0.079, 0.082, 0.078, 0.08].entries()) {
      await scoreRun(20 - i, cached)
    }
    // Another target with a much faster history must not become the baseline.
    for (let i = 0; i < 5; i++) await scoreRun(10 - i, 0.01, 'https://staging')
    await scoreRun(1, 0.12)
    for (const [i, unet] of [700, 710, 690, 705].entries()) await mockupRun(10 - i, unet)
    await mockupRun(1, 702)
    // A GPU run later: the CPU runs are not its history.
    await mockupRun(0, 90, 'cuda')

    const checks = await checkRegressions(pool)
    const score = checks[0]
    expect(score?.status).toBe('compared')
    if (score?.status !== 'compared') return
    expect(score.comparisons.find((c) => c.figure === 'cached')).toMatchObject({
      median: 0.08,
      history: 7,
      verdict: 'regressed',
    })
    expect(checks[1]).toMatchObject({ status: 'compared' })
    if (checks[1]?.status === 'compared') {
      expect(checks[1].comparisons.every((c) => c.verdict === 'insufficient history')).toBe(true)
    }

    const textfile = join(dir, 'benchmark_regression.prom')
    const { code, stdout } = await runScript('--textfile', textfile)
    expect(code).toBe(1)
    expect(stdout).toMatch(/score\s+cached\s.*REGRESSED/)
    expect(stdout).toContain('REGRESSION: score/cached, score/speedup')
    const family = parsePrometheusText(await readFile(textfile, 'utf8')).get('benchmark_regression')
    expect(family).toMatchObject({ name: 'benchmark_regression', type: 'gauge' })
    const value = (benchmark: string, figure: string) =>
      family?.samples.find((s) => s.labels.benchmark === benchmark && s.labels.figure === figure)
        ?.value
    expect(value('score', 'cached')).toBe(1)
    expect(value('score', 'uncached')).toBe(0)
    expect(value('mockup', 'unet')).toBe(0)

    // The mock-up benchmark alone passes: only its own runs are checked.
    expect((await runMain({ benchmark: 'mockup' })).regressed).toBe(false)
  })

  test('Should refuse bad arguments with exit code 2', async () => {
    const results = await Promise.all([
      runScript('--window', '0'),
      runScript('--benchmark', 'nope'),
      runScript('--k', 'x'),
    ])
    expect(results.map((r) => r.code)).toEqual([2, 2, 2])
    expect(results[1]?.stdout).toContain('--benchmark must be one of score, mockup')
  })

  test('Should export the gauge on a registry from the database', async () => {
    const registry = new Registry()
    registerBenchmarkRegressionGauge(registry, { db: pool })
    const samples =
      parsePrometheusText(await registry.metrics()).get('benchmark_regression')?.samples ?? []
    expect(
      samples.find((s) => s.labels.benchmark === 'score' && s.labels.figure === 'cached')?.value,
    ).toBe(1)
    expect(samples.filter((s) => s.labels.benchmark === 'mockup').map((s) => s.value)).toEqual(
      Array(7).fill(0),
    )
  })

  test('Should leave the series absent while the database cannot be read', async () => {
    const broken = createPool({ url: schema.url, size: 1, name: 'regress-broken' })
    await broken.end()
    const registry = new Registry()
    registerBenchmarkRegressionGauge(registry, { db: broken })
    const text = await registry.metrics()
    expect(text).toContain('# TYPE benchmark_regression gauge')
    expect(text).not.toMatch(/^benchmark_regression\{/m)
  })
})
