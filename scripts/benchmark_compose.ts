/**
 * @module
 * Compositing and encoding cost per product: a 512x512 design (smooth colour
 * fields plus noise, so the encoders see something like an SD image rather
 * than a flat fill) composed `--runs` times onto each template after one
 * warm-up (which renders the template); prints the median and p90 of the
 * composite, PNG and WebP stages and the output sizes.
 *
 *   npx tsx scripts/benchmark_compose.ts [--runs 20] [--size 512x512] [--fit cover|contain]
 */
import { parseArgs } from 'node:util'
import { SeededRandom } from '../core/platform/random.ts'
import { PRODUCTS } from '../edge/score/products.ts'
import { composeMockup, FITS, type RawDesign } from '../gpu-worker/compose/index.ts'
import { parseNumber, parseSize, runCli, UsageError } from '../gpu-worker/sd/cli/args.ts'
import { median, quantile } from './bench/stats.ts'

const USAGE = `usage: npx tsx scripts/benchmark_compose.ts [options]
  --runs N       measured runs per product after one warm-up (default 20)
  --size WxH     design size (default 512x512)
  --fit MODE     cover or contain (default: each template's own)`

/** A deterministic design: diagonal colour gradients with +-16 of seeded noise. */
function syntheticDesign(width: number, height: number): RawDesign {
  const random = new SeededRandom(1)
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const base = [(255 * x) / width, (255 * y) / height, (255 * (x + y)) / (width + height)]
      for (let c = 0; c < 3; c++) data[i + c] = base[c]! + (random.uniform() - 0.5) * 32
    }
  }
  return { width, height, channels: 3, data }
}

const fmt = (ms: number) => ms.toFixed(1).padStart(7)

await runCli(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      size: { type: 'string', default: '512x512' },
      fit: { type: 'string' },
    },
  })
  const runs = parseNumber('--runs', values.runs, true)
  if (runs < 1) throw new UsageError('--runs must be at least 1')
  const { width, height } = parseSize(values.size)
  const fit = values.fit === undefined ? undefined : FITS.find((f) => f === values.fit)
  if (values.fit !== undefined && !fit) throw new UsageError('--fit must be cover or contain')
  const design = syntheticDesign(width, height)

  console.log(`design ${width}x${height}, ${runs} runs per product after one warm-up (ms)`)
  console.log('product   stage        median      p90      min   output')
  for (const product of PRODUCTS) {
    const options = { design, product, ...(fit ? { fit } : {}) }
    const warm = performance.now()
    await composeMockup(options)
    const warmMs = performance.now() - warm
    const samples = { composite: [] as number[], png: [] as number[], webp: [] as number[] }
    let sizes = { png: 0, webp: 0 }
    for (let i = 0; i < runs; i++) {
      const m = await composeMockup(options)
      samples.composite.push(m.timings.compositeMs)
      samples.png.push(m.timings.pngMs)
      samples.webp.push(m.timings.webpMs)
      sizes = { png: m.png.length, webp: m.webp.length }
    }
    for (const stage of ['composite', 'png', 'webp'] as const) {
      const s = samples[stage]
      const output = stage === 'composite' ? '' : `${(sizes[stage] / 1024).toFixed(0)} KiB`
      console.log(
        `${product.padEnd(9)} ${stage.padEnd(10)} ${fmt(median(s))}  ${fmt(quantile(s, 0.9))}  ${fmt(Math.min(...s))}   ${output}`,
      )
    }
    console.log(`${product.padEnd(9)} first call (renders the template): ${warmMs.toFixed(0)} ms`)
  }
})
