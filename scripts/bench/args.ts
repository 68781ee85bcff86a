/** @module Numeric command-line options of the benchmark scripts. */

/**
 * The options `names` of `values` as positive whole numbers; exits 2 naming
 * them when one is not.
 * @example const { duration, rounds } = positiveWholeNumbers(values, ['duration', 'rounds'])
 */
export function positiveWholeNumbers<Name extends string>(
  values: Partial<Record<Name, string | boolean | undefined>>,
  names: readonly Name[],
): Record<Name, number> {
  const numbers = names.map((name) => Number(values[name]))
  if (!numbers.every((n) => Number.isInteger(n) && n > 0)) {
    const listed = names.map((name) => `--${name}`)
    const last = listed.pop()
    const list = listed.length > 0 ? `${listed.join(', ')} and ${last}` : last
    process.stderr.write(`${list} must be positive whole numbers\n`)
    process.exit(2)
  }
  return Object.fromEntries(names.map((name, i) => [name, numbers[i]])) as Record<Name, number>
}
