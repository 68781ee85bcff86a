/**
 * @module
 * Per-stage timings of the SD pipeline on the CPU: warm-up generations (ORT
 * sessions need one; V8 optimises the per-step loops only after a few images,
 * as a worker's steady state has them), then `--runs` measured ones; prints the
 * median of each stage and the share of time spent outside session.run, then
 * what the float16 boundary costs per step at that size (for fp16 exports).
 *
 *   npx tsx scripts/benchmark_sd.ts [--runs 5] [--warmup 3] [--steps N] [--size 512x512] [--model-dir DIR]
 *     [--scheduler euler] [--device-steps auto|always|never]
 */
import { parseArgs } from 'node:util'
import {
  parseNumber,
  parseProviders,
  parseSize,
  runCli,
  UsageError,
} from '../gpu-worker/sd/cli/args.ts'
import { loadSdPipeline, outsideSessionMs, type StageTimings } from '../gpu-worker/sd/pipeline.ts'
import { SCHEDULER_CLASSES } from '../gpu-worker/sd/schedulers/config.ts'
import { resolveModelDir } from '../gpu-worker/sd/tiny/index.ts'
import { measureFp16StepCost } from './bench/fp16-cost.ts'
import { median } from './bench/stats.ts'

const USAGE = `usage: npx tsx scripts/benchmark_sd.ts [options]
  --runs N           measured runs (default 5)
  --warmup N         unmeasured runs first (default 3)
  --steps N          inference steps (default 25)
  --size WxH         image size (default 512x512)
  --prompt "..."     prompt (default "shirt design")
  --providers LIST   execution providers in order (default cpu)
  --model-dir DIR    SD export folder (default: the tiny set in .data/models/tiny-sd)
  --scheduler KIND   ddim, pndm, euler, euler-ancestral or lcm (default: the config's)
  --device-steps M   auto, always or never: where Euler/DDIM steps run (default auto)`

const SCHEDULER_KINDS = [...new Set(Object.values(SCHEDULER_CLASSES))]
const DEVICE_STEPS_MODES = ['auto', 'always', 'never'] as const

function parseChoice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined
  if ((choices as readonly string[]).includes(value)) return value as T
  throw new UsageError(`--${name} must be one of ${choices.join(', ')}`)
}

const STAGES: [keyof StageTimings, string][] = [
  ['tokenizeMs', 'tokenize'],
  ['textEncoderMs', 'text_encoder'],
  ['unetMs', 'unet'],
  ['vaeMs', 'vae'],
  ['overheadMs', 'overhead'],
  ['totalMs', 'total'],
]
// The pipeline's own work should stay small next to the models'.
const OUTSIDE_GOAL = 0.1

await runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '3' },
      steps: { type: 'string', default: '25' },
      size: { type: 'string', default: '512x512' },
      prompt: { type: 'string', default: 'shirt design' },
      providers: { type: 'string', default: 'cpu' },
      'model-dir': { type: 'string' },
      scheduler: { type: 'string' },
      'device-steps': { type: 'string', default: 'auto' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  const runs = parseNumber('runs', values.runs, true)
  if (runs < 1) throw new UsageError('--runs must be at least 1')
  const warmup = parseNumber('warmup', values.warmup, true)
  if (warmup < 1) throw new UsageError('--warmup must be at least 1')
  const steps = parseNumber('steps', values.steps, true)
  const { width, height } = parseSize(values.size)
  const providers = parseProviders(values.providers)
  const scheduler = parseChoice('scheduler', values.scheduler, SCHEDULER_KINDS)
  const deviceSteps = parseChoice('device-steps', values['device-steps'], DEVICE_STEPS_MODES)

  let dir = await resolveModelDir(values['model-dir'], (d) =>
    console.log(`Generated the tiny model set in ${d}`),
  )
  console.log(`Loading ${dir} on ${providers.join(', ')}`)
  const pipe = await loadSdPipeline(dir, {
    providers,
    deviceSteps,
    ...(scheduler ? { scheduler } : {}),
  })
  dir = pipe.files.dir
  const options = { prompt: values.prompt, seed: 1, steps, width, height }
  try {
    const { layout, precision } = pipe.labels
    console.log(
      `${warmup} warm-up runs (${width}x${height}, ${steps} steps, ${pipe.scheduler.kind}, ${layout} ${precision}, device steps ${deviceSteps})`,
    )
    for (let i = 0; i < warmup; i++) await pipe.generate(options)
    const results: StageTimings[] = []
    for (let i = 0; i < runs; i++) {
      const {
        timings: t,
        unetEvaluations,
        stepPath,
      } = await pipe.generate({
        ...options,
        seed: i + 1,
      })
      results.push(t)
      console.log(
        `Run ${i + 1}/${runs}: ${t.totalMs.toFixed(1)} ms (unet ${t.unetMs.toFixed(1)} ms over ` +
          `${unetEvaluations} evaluations, vae ${t.vaeMs.toFixed(1)} ms, outside session.run ` +
          `${outsideSessionMs(t).toFixed(1)} ms, ${stepPath} steps)`,
      )
    }
    console.log(
      `Median of ${runs} runs, ${width}x${height}, ${steps} steps, ${layout} ${precision}, provider ${pipe.providers.unet}:`,
    )
    for (const [key, label] of STAGES) {
      console.log(
        `  ${label.padEnd(13)} ${median(results.map((t) => t[key]))
          .toFixed(2)
          .padStart(9)} ms`,
      )
    }
    const share = median(results.map((t) => outsideSessionMs(t) / t.totalMs))
    const verdict = share < OUTSIDE_GOAL ? 'within' : 'above'
    console.log(
      `Outside session.run: ${(share * 100).toFixed(1)}% of the total (${verdict} the ${OUTSIDE_GOAL * 100}% goal)`,
    )
    const fp16 = measureFp16StepCost(width, height, 2)
    console.log(
      `fp16 boundary per guided step (${fp16.elements} elements each way): narrow ` +
        `${fp16.narrowUs.toFixed(1)} us + widen ${fp16.widenUs.toFixed(1)} us = ${fp16.stepUs.toFixed(1)} us` +
        (precision.startsWith('fp16')
          ? ' (inside the unet times above)'
          : ' (not paid by this fp32 set)'),
    )
  } finally {
    await pipe.release()
  }
})
