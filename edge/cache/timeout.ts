/** @module A deadline for a promise: a slow dependency fails fast instead of holding the request. */

/** Thrown when a call misses its deadline. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
}

/** Resolves like `promise`, or rejects with {@link TimeoutError} after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
