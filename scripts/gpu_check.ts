/**
 * @module
 * The GPU check: runs the SD pipeline on each execution provider with the tiny
 * model sets (SD, SDXL, Turbo; fp32 and fp16) and a larger generated set whose
 * UNet costs real time (about 600 MFLOPs per guided step at 512x512), and
 * prints per-stage times, the share of time outside session.run, where the
 * conditioning lived, which path ran guidance and the scheduler steps (`js`,
 * or `step-graph`: latents kept on the device) and peak device memory
 * (nvidia-smi, polled). Sets with a linear scheduler (Euler, DDIM) are timed on
 * both step paths; PNDM sets run JS steps only. Every model is generated here:
 * it needs nothing from the network.
 *
 *   npx tsx scripts/gpu_check.ts [--providers cpu,cuda,webgpu] [--runs 3] [--steps 4] [--size 512x512]
 *
 * Each provider is asked for alone (no CPU fallback), so one that cannot load
 * says why instead of timing the CPU.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { readGpuMemory } from '../gpu-worker/gpu-metrics/memory.ts'
import {
  parseNumber,
  parseProviders,
  parseSize,
  runCli,
  UsageError,
} from '../gpu-worker/sd/cli/args.ts'
import {
  type DeviceStepsMode,
  type InferenceBackend,
  loadSdPipeline,
  onnxNodeBackend,
  outsideSessionMs,
  type StageTimings,
  type TinySdOptions,
  writeTinySdModelSet,
} from '../gpu-worker/sd/index.ts'
import { median } from './bench/stats.ts'

const USAGE = `usage: npx tsx scripts/gpu_check.ts [options]
  --providers LIST   execution providers to check, each alone (default cpu,cuda,webgpu)
  --runs N           measured runs per set (default 3, after one warm-up)
  --steps N          inference steps (default 4; Turbo sets run their 1)
  --size WxH         image size of the large set (default 512x512; tiny sets run 256x256)`

// The large set: a 64-channel UNet with one extra full-resolution block,
// 2 * 9 * 64^2 FLOPs per latent pixel for the block alone (~600 MFLOPs a guided 512x512 step).
// DDIM, so that both step paths can be timed on it.
const LARGE = { unetChannels: 64, unetBlocks: 1, scheduler: 'ddim' } as const
const SETS: { name: string; options: TinySdOptions; large?: boolean }[] = [
  { name: 'tiny sd fp32', options: {} },
  { name: 'tiny sd fp16', options: { precision: 'fp16' } },
  {
    name: 'tiny sd-turbo fp16',
    options: {
      precision: 'fp16',
      scheduler: 'euler',
      timestepSpacing: 'trailing',
      timestep: 'float',
    },
  },
  {
    name: 'tiny sdxl fp16 (vae fp32)',
    options: {
      family: 'sdxl',
      precision: 'fp16',
      vaePrecision: 'fp32',
      scheduler: 'euler',
      timestep: 'float',
    },
  },
  { name: 'large sd fp32', options: LARGE, large: true },
  { name: 'large sd fp16', options: { ...LARGE, precision: 'fp16' }, large: true },
]

/** Polls device memory while it runs; peak MiB above the level seen at start. */
function memoryPoller(intervalMs = 100) {
  let baseline: number | undefined
  let peak: number | undefined
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const readings = await readGpuMemory()
      if (readings.length > 0) {
        const used = readings.reduce((sum, r) => sum + r.usedMiB, 0)
        baseline ??= used
        peak = Math.max(peak ?? used, used)
      }
      await new Promise((r) => setTimeout(r, intervalMs))
    }
  })()
  // Safe to call twice: the second call reports the same.
  return async (): Promise<string> => {
    stopped = true
    await loop
    if (baseline === undefined || peak === undefined) return 'n/a (no nvidia-smi readings)'
    return `${peak} MiB peak (+${peak - baseline} MiB over the start)`
  }
}

/** The real backend, noting where the UNet's conditioning lives (cpu or gpu-buffer). */
function locatingBackend(seen: Set<string>): InferenceBackend {
  return {
    name: onnxNodeBackend.name,
    async createSession(path, provider, options) {
      const session = await onnxNodeBackend.createSession(path, provider, options)
      return {
        ...session,
        run(feeds, names) {
          const states = feeds.encoder_hidden_states
          if (states && 'held' in states) seen.add(states.location)
          return session.run(feeds, names)
        },
      }
    },
  }
}

/** JS steps, then the step graph (latents on the device) even where it is not the default. */
const STEP_MODES: DeviceStepsMode[] = ['never', 'always']

const firstLine = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0]

await runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: {
      providers: { type: 'string', default: 'cpu,cuda,webgpu' },
      runs: { type: 'string', default: '3' },
      steps: { type: 'string', default: '4' },
      size: { type: 'string', default: '512x512' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  const providers = parseProviders(values.providers)
  const runs = parseNumber('runs', values.runs, true)
  if (runs < 1) throw new UsageError('--runs must be at least 1')
  const steps = parseNumber('steps', values.steps, true)
  const large = parseSize(values.size)
  const gpus = await readGpuMemory()
  console.log(
    gpus.length > 0
      ? `GPUs: ${gpus.map((g) => `#${g.gpu} ${g.usedMiB}/${g.totalMiB} MiB used`).join(', ')}`
      : 'No nvidia-smi readings: device memory will be reported as n/a',
  )

  const root = await mkdtemp(join(tmpdir(), 'gpu-check-'))
  try {
    const dirs = new Map<string, string>()
    for (const [i, set] of SETS.entries()) {
      const dir = join(root, String(i))
      await writeTinySdModelSet(dir, { seed: 1, ...set.options })
      dirs.set(set.name, dir)
    }
    for (const provider of providers) {
      console.log(`\n== provider ${provider}`)
      let loadedAny = false
      for (const { set, mode } of SETS.flatMap((set) =>
        STEP_MODES.map((mode) => ({ set, mode })),
      )) {
        const seen = new Set<string>()
        const stopMemory = memoryPoller()
        let pipe: Awaited<ReturnType<typeof loadSdPipeline>>
        try {
          pipe = await loadSdPipeline(dirs.get(set.name)!, {
            providers: [provider],
            backend: locatingBackend(seen),
            deviceSteps: mode,
          })
        } catch (err) {
          await stopMemory()
          // The first set failing means the provider itself is missing: say it once.
          if (!loadedAny) {
            console.log(`  unavailable: ${firstLine(err)}`)
            break
          }
          console.log(`  ${set.name.padEnd(26)} did not load: ${firstLine(err)}`)
          continue
        }
        loadedAny = true
        // A non-linear scheduler runs JS steps whatever the mode: time it once.
        if (mode === 'always' && !pipe.scheduler.linear) {
          console.log(
            `  ${set.name.padEnd(26)} step graph n/a: ${pipe.scheduler.kind} steps run in JS`,
          )
          await stopMemory()
          await pipe.release()
          continue
        }
        try {
          const size = set.large ? large : { width: 256, height: 256 }
          const turbo = pipe.labels.layout.endsWith('turbo')
          const options = { prompt: 'shirt design', ...size, ...(turbo ? {} : { steps }) }
          await pipe.generate({ ...options, seed: 0 })
          const results: StageTimings[] = []
          let evaluations = 0
          const paths = new Set<string>()
          for (let r = 0; r < runs; r++) {
            const image = await pipe.generate({ ...options, seed: r + 1 })
            results.push(image.timings)
            evaluations = image.unetEvaluations
            paths.add(image.stepPath)
          }
          const med = (key: keyof StageTimings) => median(results.map((t) => t[key]))
          const share = median(results.map((t) => outsideSessionMs(t) / t.totalMs))
          console.log(
            `  ${set.name.padEnd(26)} ${size.width}x${size.height} ${pipe.labels.layout}/${pipe.labels.precision} ` +
              `total ${med('totalMs').toFixed(1)} ms: text ${med('textEncoderMs').toFixed(1)}, ` +
              `unet ${(med('unetMs') / evaluations).toFixed(2)} ms/step x ${evaluations}, ` +
              `vae ${med('vaeMs').toFixed(1)}, outside session.run ${(share * 100).toFixed(1)}%; ` +
              `steps ${[...paths].join('+')} (asked ${mode}); ` +
              `conditioning on ${[...seen].join('+') || 'host'}; memory ${await stopMemory()}`,
          )
        } catch (err) {
          console.log(`  ${set.name.padEnd(26)} failed: ${firstLine(err)}`)
        } finally {
          await stopMemory()
          await pipe.release()
        }
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
})
