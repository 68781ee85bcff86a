/**
 * @module
 * The seed's mock-up benchmark: loads the SD pipeline once, warms it up, then
 * makes `--runs` mock-ups (design, composite, PNG+WebP encode) and prints each
 * run and the median per stage, with the execution provider used.
 * `--persist` stores the medians in `mockup_benchmarks` (DATABASE_URL).
 *
 *   npx tsx scripts/benchmark_mockup.ts --prompt "shirt design" --runs 3
 *     [--steps 20] [--size 512x512] [--product shirt] [--providers webgpu,cpu]
 *     [--model-dir DIR] [--persist]
 */
import { parseArgs } from 'node:util'
import { createPool, migrate } from '../core/platform/db/index.ts'
import { PRODUCTS, type Product } from '../edge/score/products.ts'
import { composeMockup } from '../gpu-worker/compose/index.ts'
import {
  parseNumber,
  parseProviders,
  parseSize,
  runCli,
  UsageError,
} from '../gpu-worker/sd/cli/args.ts'
import { loadSdPipeline, resolveModelDir } from '../gpu-worker/sd/index.ts'
import { MOCKUP_STAGES, type MockupStage } from '../gpu-worker/worker/metrics.ts'
import { gitCommit } from './bench/git.ts'
import { median } from './bench/stats.ts'

const USAGE = `usage: npx tsx scripts/benchmark_mockup.ts --prompt "shirt design" --runs 3 [options]
  --steps N          inference steps (default 20)
  --size WxH         design size (default 512x512)
  --product NAME     ${PRODUCTS.join(', ')} (default shirt)
  --providers LIST   execution providers in order (default $EXECUTION_PROVIDERS or cpu)
  --model-dir DIR    SD export folder (default: the tiny set in .data/models/tiny-sd)
  --persist          store the medians in mockup_benchmarks (DATABASE_URL)`

type Run = Record<MockupStage | 'total', number>

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      prompt: { type: 'string', default: 'shirt design' },
      runs: { type: 'string', default: '3' },
      steps: { type: 'string', default: '20' },
      size: { type: 'string', default: '512x512' },
      product: { type: 'string', default: 'shirt' },
      providers: { type: 'string', default: process.env.EXECUTION_PROVIDERS ?? 'cpu' },
      'model-dir': { type: 'string' },
      persist: { type: 'boolean', default: false },
    },
  })
  const runs = parseNumber('runs', values.runs, true)
  const steps = parseNumber('steps', values.steps, true)
  if (runs < 1 || steps < 1 || steps > 150)
    throw new UsageError('--runs must be >= 1 and --steps 1-150')
  const { width, height } = parseSize(values.size)
  const providers = parseProviders(values.providers)
  if (!(PRODUCTS as readonly string[]).includes(values.product)) {
    throw new UsageError(`--product must be one of ${PRODUCTS.join(', ')}`)
  }
  const product = values.product as Product
  if (values.persist && !process.env.DATABASE_URL)
    throw new UsageError('--persist needs DATABASE_URL')

  const dir = await resolveModelDir(values['model-dir'], (d) =>
    console.log(`Generated the tiny model set in ${d}`),
  )
  const pipe = await loadSdPipeline(dir, { providers })
  const provider = pipe.providers.unet
  const { layout, precision } = pipe.labels
  console.log(
    `model ${dir} (${layout}, ${precision}), provider ${provider}, ${width}x${height}, ${steps} steps, product ${product}`,
  )

  const once = async (seed: number): Promise<Run> => {
    const started = performance.now()
    const image = await pipe.generate({ prompt: values.prompt, seed, steps, width, height })
    const mockup = await composeMockup({ design: image, product })
    return {
      tokenize: image.timings.tokenizeMs,
      text_encoder: image.timings.textEncoderMs,
      unet: image.timings.unetMs,
      vae: image.timings.vaeMs,
      composite: mockup.timings.compositeMs,
      encode: mockup.timings.encodeMs,
      total: performance.now() - started,
    }
  }
  console.log('warm-up run (sessions, JIT, product template)')
  await once(0)
  const results: Run[] = []
  for (let i = 1; i <= runs; i++) {
    const run = await once(i)
    results.push(run)
    console.log(
      `run ${i}/${runs}: total ${run.total.toFixed(1)} ms (unet ${run.unet.toFixed(1)} ms, ${(run.unet / steps).toFixed(2)} ms/step; vae ${run.vae.toFixed(1)}; composite ${run.composite.toFixed(1)}; encode ${run.encode.toFixed(1)})`,
    )
  }
  const med = (stage: MockupStage | 'total') => median(results.map((r) => r[stage]))
  console.log(`\nmedian of ${runs} runs, provider ${provider}, ${layout} ${precision}:`)
  for (const stage of MOCKUP_STAGES)
    console.log(`  ${stage.padEnd(13)} ${med(stage).toFixed(2).padStart(9)} ms`)
  console.log(`  ${'unet/step'.padEnd(13)} ${(med('unet') / steps).toFixed(2).padStart(9)} ms`)
  console.log(`  ${'total'.padEnd(13)} ${med('total').toFixed(2).padStart(9)} ms`)
  await pipe.release()

  if (values.persist) {
    const pool = createPool({ url: process.env.DATABASE_URL!, size: 1, name: 'bench-mockup' })
    try {
      await migrate(pool)
      await pool.query(
        `INSERT INTO mockup_benchmarks (runs, steps, width, height, provider, prompt, total_p50_ms,
           tokenize_ms, text_encoder_ms, unet_ms, vae_ms, composite_ms, encode_ms, git_commit, runtime)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          runs,
          steps,
          width,
          height,
          provider,
          values.prompt,
          med('total'),
          ...MOCKUP_STAGES.map(med),
          await gitCommit(),
          `node ${process.version}`,
        ],
      )
      console.log('persisted to mockup_benchmarks')
    } finally {
      await pool.end()
    }
  }
})
