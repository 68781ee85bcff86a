/**
 * @module
 * Shared pieces of the SD command-line scripts: argument errors that exit with
 * status 2 and print the usage, and parsers for the values they take.
 */
import { SdInputError } from '../generate-options.ts'

/** A bad command line: the script prints the message and its usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Runs a script's main function: a {@link UsageError}, a `node:util` parseArgs
 * error or an out-of-range generation option ({@link SdInputError}) exits 2
 * after the usage text; any other error exits 1.
 */
export async function runCli(usage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main()
  } catch (err) {
    const code = (err as { code?: unknown }).code
    const isUsage =
      err instanceof UsageError ||
      err instanceof SdInputError ||
      String(code).startsWith('ERR_PARSE_ARGS')
    process.stderr.write(`error: ${(err as Error).message}\n`)
    if (isUsage) process.stderr.write(`\n${usage}\n`)
    process.exitCode = isUsage ? 2 : 1
  }
}

/**
 * Parses `WxH` (e.g. `512x512`).
 * @throws UsageError for anything else
 */
export function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/i.exec(text.trim())
  if (!match) throw new UsageError(`--size must look like 512x512, got ${JSON.stringify(text)}`)
  return { width: Number(match[1]), height: Number(match[2]) }
}

/**
 * Parses a number option; `integer` also rejects fractions.
 * @throws UsageError naming the option
 */
export function parseNumber(name: string, text: string, integer = false): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}`,
    )
  }
  return value
}

/** Splits `EXECUTION_PROVIDERS`-style lists (`webgpu,cpu`). */
export function parseProviders(text: string): string[] {
  const list = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (list.length === 0) throw new UsageError('--providers needs at least one provider, e.g. cpu')
  return list
}
