/**
 * @module
 * Writes the tiny Stable Diffusion model set (ONNX export layout, seeded random
 * weights) into a folder.
 *
 *   npx tsx scripts/make_tiny_sd.ts --out DIR [--timestep int64|float|scalar] [--seed N]
 *     [--input-ids int32|int64] [--scheduler pndm|ddim|euler|euler-ancestral|lcm] [--lcm]
 *     [--family sd|sdxl] [--precision fp32|fp16] [--vae-precision fp32|fp16] [--turbo]
 */
import { parseArgs } from 'node:util'
import { parseNumber, runCli, UsageError } from '../gpu-worker/sd/cli/args.ts'
import type { SchedulerKind } from '../gpu-worker/sd/schedulers/types.ts'
import { type TinyTimestep, writeTinySdModelSet } from '../gpu-worker/sd/tiny/index.ts'

const USAGE = `usage: npx tsx scripts/make_tiny_sd.ts --out DIR [options]
  --out DIR             folder to write (created; files are overwritten)
  --timestep KIND       UNet timestep input: int64 [B] (default), float [B], scalar (float rank-0)
  --seed N              seed of the random weights (default 0)
  --input-ids TYPE      text encoder input_ids type: int32 (default) or int64
  --scheduler KIND      scheduler class in the config: pndm (default), ddim, euler, euler-ancestral, lcm
  --lcm                 give the UNet LCM's timestep_cond input (use with --scheduler lcm)
  --family F            sd (default) or sdxl (two text encoders, text_embeds/time_ids, VAE 0.13025)
  --precision P         fp32 (default) or fp16 (an --fp16 export: float16 weights and ports)
  --vae-precision P     the VAE decoder's precision (default: --precision)
  --turbo               trailing timestep spacing (SD-Turbo / SDXL-Turbo; use with --scheduler euler)`

const TIMESTEPS: readonly TinyTimestep[] = ['int64', 'float', 'scalar']
const PRECISIONS = ['fp32', 'fp16'] as const
const SCHEDULERS: readonly SchedulerKind[] = ['pndm', 'ddim', 'euler', 'euler-ancestral', 'lcm']

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    )
  }
  return value as T
}

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      timestep: { type: 'string', default: 'int64' },
      seed: { type: 'string', default: '0' },
      'input-ids': { type: 'string', default: 'int32' },
      scheduler: { type: 'string', default: 'pndm' },
      lcm: { type: 'boolean', default: false },
      family: { type: 'string', default: 'sd' },
      precision: { type: 'string', default: 'fp32' },
      'vae-precision': { type: 'string' },
      turbo: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (!values.out) throw new UsageError('--out is required')
  const seed = parseNumber('seed', values.seed, true)
  if (seed < 0) throw new UsageError('--seed must not be negative')
  const started = performance.now()
  await writeTinySdModelSet(values.out, {
    seed,
    timestep: oneOf('timestep', values.timestep, TIMESTEPS),
    inputIds: oneOf('input-ids', values['input-ids'], ['int32', 'int64'] as const),
    scheduler: oneOf('scheduler', values.scheduler, SCHEDULERS),
    timestepCond: values.lcm,
    family: oneOf('family', values.family, ['sd', 'sdxl'] as const),
    precision: oneOf('precision', values.precision, PRECISIONS),
    ...(values['vae-precision']
      ? { vaePrecision: oneOf('vae-precision', values['vae-precision'], PRECISIONS) }
      : {}),
    ...(values.turbo ? { timestepSpacing: 'trailing' as const } : {}),
  })
  const ms = (performance.now() - started).toFixed(0)
  process.stdout.write(`Wrote the tiny SD model set to ${values.out} in ${ms} ms\n`)
})
