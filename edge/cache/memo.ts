/**
 * @module
 * A bounded memo for pure functions of a string that hot paths call with the
 * same few arguments (a popular query string, a returning client's address):
 * at most `max` results, forgotten all at once when full, since the argument
 * is the caller's text and must not grow memory without bound. A call that
 * throws is not remembered.
 */

/**
 * `fn`, remembering up to `max` results by argument.
 *
 * @example
 * const canonical = boundedMemo((text) => parse(text).toString(), 1024)
 */
export function boundedMemo<T>(fn: (key: string) => T, max: number): (key: string) => T {
  const results = new Map<string, T>()
  return (key) => {
    if (results.has(key)) return results.get(key) as T
    const result = fn(key)
    if (results.size >= max) results.clear()
    results.set(key, result)
    return result
  }
}
