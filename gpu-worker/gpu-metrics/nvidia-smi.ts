/**
 * @module
 * One run of `nvidia-smi` with a timeout. No binary, an error or a timeout
 * means "no output" (undefined), never a thrown error: a host without a GPU
 * is a normal host.
 */
import { execFile } from 'node:child_process'

/** Options of {@link runNvidiaSmi}. */
export interface NvidiaSmiRunOptions {
  /** @defaultValue `'nvidia-smi'` (from PATH) */
  binary?: string
  /** @defaultValue 2000 */
  timeoutMs?: number
  onError?: (err: unknown) => void
}

/** Runs `nvidia-smi args`; resolves with its stdout, or undefined when it could not. */
export function runNvidiaSmi(
  args: readonly string[],
  options: NvidiaSmiRunOptions = {},
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      options.binary ?? 'nvidia-smi',
      args,
      { timeout: options.timeoutMs ?? 2000 },
      (err, stdout) => {
        if (err) {
          options.onError?.(err)
          resolve(undefined)
          return
        }
        resolve(stdout)
      },
    )
  })
}
