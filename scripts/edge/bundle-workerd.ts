/**
 * @module
 * Bundles `edge/entry/workerd.ts` for workerd with esbuild: one ES module,
 * no Node built-ins, packages resolved through their worker/browser builds.
 *
 *   npx tsx scripts/edge/bundle-workerd.ts [out.js]   (prints the size)
 */
import { resolve } from 'node:path'
import { build } from 'esbuild'

/** The Worker entry, relative to the repository root. */
export const WORKERD_ENTRY = 'edge/entry/workerd.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/** Bundles the Worker and returns its source. */
export async function bundleWorkerd(options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [resolve(ROOT, WORKERD_ENTRY)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    minify: options.minify ?? false,
    logLevel: 'silent',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error('esbuild produced no output')
  return file.text
}

if (import.meta.filename === process.argv[1]) {
  const { writeFile } = await import('node:fs/promises')
  const source = await bundleWorkerd()
  const minified = await bundleWorkerd({ minify: true })
  const out = process.argv[2]
  if (out) await writeFile(out, source)
  const { gzipSync } = await import('node:zlib')
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  const size = (text: string) => Buffer.byteLength(text)
  // Cloudflare's Worker size limit applies to the gzipped upload.
  process.stdout.write(
    `workerd bundle: ${kib(size(source))}, minified ${kib(size(minified))}, minified+gzip ${kib(gzipSync(minified).length)}\n`,
  )
}
