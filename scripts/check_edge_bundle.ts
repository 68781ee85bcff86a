/**
 * @module
 * Builds the Worker exactly as a deploy would (`wrangler deploy --dry-run`,
 * offline, with deploy/edge/wrangler.toml), reports the bundle's size raw and
 * gzipped, and fails when the gzipped size is over the Workers limit.
 *
 *   npx tsx scripts/check_edge_bundle.ts [--limit-mib 3] [--outdir DIR]
 *
 * The limit is 3 MiB gzipped, the Workers Free plan's (Paid allows 10 MiB):
 * a bundle under it deploys on either plan. Exit status: 0 within the limit,
 * 1 over it, 2 bad arguments or wrangler failed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

const ROOT = resolve(import.meta.dirname, '..')

/** The Worker's wrangler config, relative to the repository root. */
export const WRANGLER_CONFIG = 'deploy/edge/wrangler.toml'

/** Workers Free plan limit on the gzipped Worker: 3 MiB. */
export const DEFAULT_LIMIT_BYTES = 3 * 1024 * 1024

/** What one check found. */
export interface EdgeBundleReport {
  /** The uploaded modules (outdir-relative), maps and notes excluded. */
  modules: string[]
  rawBytes: number
  gzipBytes: number
  limitBytes: number
  withinLimit: boolean
}

/** Options of {@link checkEdgeBundle}. */
export interface CheckEdgeBundleOptions {
  /** Gzipped size allowed. @defaultValue {@link DEFAULT_LIMIT_BYTES} */
  limitBytes?: number
  /** Where wrangler writes the bundle (kept). @defaultValue a temporary folder, removed */
  outdir?: string
}

/** Thrown when wrangler itself fails (not when the bundle is too big). */
export class WranglerError extends Error {
  override name = 'WranglerError'
}

function runWrangler(outdir: string, logDir: string): void {
  const cli = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')
  if (!existsSync(cli)) throw new WranglerError(`wrangler is not installed (${cli}): run npm ci`)
  const result = spawnSync(
    process.execPath,
    [cli, 'deploy', '--dry-run', '--outdir', outdir, '--config', WRANGLER_CONFIG],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        // Offline and quiet: no telemetry, and logs away from ~/.config.
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_SEND_ERROR_REPORTS: 'false',
        WRANGLER_LOG_PATH: logDir,
      },
    },
  )
  if (result.error) throw new WranglerError(`wrangler did not run: ${result.error.message}`)
  if (result.status !== 0) {
    throw new WranglerError(
      `wrangler deploy --dry-run failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    )
  }
}

/** Runs the dry-run build and measures what it would upload. */
export function checkEdgeBundle(options: CheckEdgeBundleOptions = {}): EdgeBundleReport {
  const limitBytes = options.limitBytes ?? DEFAULT_LIMIT_BYTES
  const scratch = mkdtempSync(join(tmpdir(), 'edge-bundle-'))
  // wrangler keeps scratch files in .wrangler/ beside its config (git-ignored
  // there); removed again unless it was there before.
  const hidden = join(ROOT, 'deploy/edge/.wrangler')
  const hadHidden = existsSync(hidden)
  try {
    const outdir = options.outdir ? resolve(options.outdir) : join(scratch, 'out')
    runWrangler(outdir, join(scratch, 'logs'))
    const modules = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(m?js|wasm)$/.test(f))
      .sort()
    if (modules.length === 0) throw new WranglerError(`wrangler wrote no module to ${outdir}`)
    const bytes = Buffer.concat(modules.map((f) => readFileSync(join(outdir, f))))
    const gzipBytes = gzipSync(bytes).length
    return {
      modules,
      rawBytes: bytes.length,
      gzipBytes,
      limitBytes,
      withinLimit: gzipBytes <= limitBytes,
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
    if (!hadHidden) rmSync(hidden, { recursive: true, force: true })
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

/** The one-line summary the CLI prints. */
export function formatReport(report: EdgeBundleReport): string {
  const verdict = report.withinLimit ? 'OK' : 'OVER THE LIMIT'
  return (
    `edge bundle (${report.modules.join(', ')}): ${kib(report.rawBytes)} raw, ` +
    `${kib(report.gzipBytes)} gzip; limit ${kib(report.limitBytes)} gzip ` +
    `(Workers Free plan: 3 MiB; Paid: 10 MiB): ${verdict}`
  )
}

function main(argv: string[]): number {
  let values: { 'limit-mib'?: string; outdir?: string }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { 'limit-mib': { type: 'string' }, outdir: { type: 'string' } },
    }))
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nusage: check_edge_bundle.ts [--limit-mib N] [--outdir DIR]\n`,
    )
    return 2
  }
  const mib = Number(values['limit-mib'] ?? 3)
  if (!Number.isFinite(mib) || mib <= 0) {
    process.stderr.write(`--limit-mib: expected a positive number, got ${values['limit-mib']}\n`)
    return 2
  }
  try {
    const report = checkEdgeBundle({
      limitBytes: Math.floor(mib * 1024 * 1024),
      outdir: values.outdir,
    })
    process.stdout.write(`${formatReport(report)}\n`)
    return report.withinLimit ? 0 : 1
  } catch (err) {
    if (!(err instanceof WranglerError)) throw err
    process.stderr.write(`${err.message}\n`)
    return 2
  }
}

if (import.meta.filename === process.argv[1]) process.exitCode = main(process.argv.slice(2))
