/**
 * @module
 * The SD pipeline from the command line (`npm run sd -- ...`).
 *
 *   generate --prompt "..." --seed 1 [--steps N] [--guidance G] [--size WxH] --out a.png [--model-dir DIR]
 *   tokenize "text" [--model-dir DIR]
 *
 * Without --model-dir the tiny model set is used, generated into
 * .data/models/tiny-sd on first use.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import {
  parseNumber,
  parseProviders,
  parseSize,
  runCli,
  UsageError,
} from '../gpu-worker/sd/cli/args.ts'
import { loadSdPipeline } from '../gpu-worker/sd/pipeline.ts'
import type { SchedulerKind } from '../gpu-worker/sd/schedulers/types.ts'
import { resolveModelDir } from '../gpu-worker/sd/tiny/index.ts'
import { loadClipTokenizer } from '../gpu-worker/sd/tokenizer/index.ts'

const USAGE = `usage:
  npx tsx scripts/sd.ts generate --prompt "..." --seed N --out a.png [options]
      --steps N              inference steps, 1-150 (default: the layout's, 25; 4 for LCM, 1 for Turbo)
      --guidance G           guidance scale, 0-30; at most 1 is off (default 7.5; 5 SDXL, 8.5 LCM, 0 Turbo)
      --size WxH             image size, multiples of 8 from 64 to 1024 (default 512x512)
      --negative-prompt "…"  what to steer away from
      --scheduler KIND       ddim, pndm, euler, euler-ancestral or lcm (default: the model's)
      --providers LIST       execution providers in order (default: $EXECUTION_PROVIDERS or cpu)
      --model-dir DIR        SD export folder (default: the tiny set in .data/models/tiny-sd)
  npx tsx scripts/sd.ts tokenize "text" [--model-dir DIR]
      prints the token ids (with bos/eos, truncated to 77, unpadded) as a JSON array`

const SCHEDULERS: readonly string[] = ['ddim', 'pndm', 'euler', 'euler-ancestral', 'lcm']

/** The model folder to use: --model-dir, or the tiny set (made on first use). */
const modelDir = (option: string | undefined) =>
  resolveModelDir(option, (dir) => process.stderr.write(`Generated the tiny model set in ${dir}\n`))

async function generate(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      prompt: { type: 'string' },
      'negative-prompt': { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      size: { type: 'string', default: '512x512' },
      out: { type: 'string' },
      scheduler: { type: 'string' },
      providers: { type: 'string' },
      'model-dir': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  if (values.prompt === undefined) throw new UsageError('--prompt is required')
  if (values.seed === undefined) throw new UsageError('--seed is required')
  if (!values.out) throw new UsageError('--out is required')
  if (values.scheduler !== undefined && !SCHEDULERS.includes(values.scheduler)) {
    throw new UsageError(`--scheduler must be one of ${SCHEDULERS.join(', ')}`)
  }
  const { width, height } = parseSize(values.size)
  const seed = parseNumber('seed', values.seed, true)
  const steps = values.steps === undefined ? undefined : parseNumber('steps', values.steps, true)
  const guidanceScale =
    values.guidance === undefined ? undefined : parseNumber('guidance', values.guidance)
  const providers = parseProviders(values.providers ?? process.env.EXECUTION_PROVIDERS ?? 'cpu')

  const dir = await modelDir(values['model-dir'])
  const logger = {
    info: () => {},
    warn: (obj: object, msg: string) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
  }
  const pipe = await loadSdPipeline(dir, {
    providers,
    logger,
    ...(values.scheduler ? { scheduler: values.scheduler as SchedulerKind } : {}),
  })
  try {
    const image = await pipe.generate({
      prompt: values.prompt,
      negativePrompt: values['negative-prompt'] ?? '',
      seed,
      steps,
      guidanceScale,
      width,
      height,
      onProgress: (step, total) => {
        // Redraw one line on a terminal; a log file gets only the last step.
        if (process.stderr.isTTY) process.stderr.write(`\rstep ${step}/${total}`)
        else if (step === total) process.stderr.write(`step ${step}/${total}`)
      },
    })
    process.stderr.write('\n')
    await sharp(image.data, { raw: { width, height, channels: 3 } })
      .png()
      .toFile(values.out)
    const t = image.timings
    process.stdout.write(
      `Wrote ${values.out} (${width}x${height}, seed ${seed}, ${image.steps} steps, ` +
        `${image.scheduler}, ${pipe.labels.layout} ${pipe.labels.precision}, ` +
        `provider ${pipe.providers.unet}) in ${t.totalMs.toFixed(0)} ms: ` +
        `tokenize ${t.tokenizeMs.toFixed(1)}, text_encoder ${t.textEncoderMs.toFixed(1)}, ` +
        `unet ${t.unetMs.toFixed(1)}, vae ${t.vaeMs.toFixed(1)}, overhead ${t.overheadMs.toFixed(1)} ms\n`,
    )
  } finally {
    await pipe.release()
  }
}

async function tokenize(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'model-dir': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length !== 1) throw new UsageError('tokenize takes exactly one text argument')
  const dir = await modelDir(values['model-dir'])
  const tokenizer = await loadClipTokenizer(join(dir, 'tokenizer'))
  const { ids, length } = tokenizer.encode(positionals[0]!)
  process.stdout.write(`${JSON.stringify(Array.from(ids.subarray(0, length)))}\n`)
}

await runCli(USAGE, async () => {
  const [command, ...rest] = process.argv.slice(2)
  if (command === 'generate') return generate(rest)
  if (command === 'tokenize') return tokenize(rest)
  throw new UsageError(
    command ? `unknown command ${JSON.stringify(command)}` : 'a command is required',
  )
})
