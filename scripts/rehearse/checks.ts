/**
 * @module
 * The rehearsal's checklist: each check prints one line as it ends (held or
 * not, and why), and the summary is the line CI greps:
 * `rehearsal: <held>/<total> checks hold`.
 */

/** A list of named checks, run one at a time or side by side. */
export class Checklist {
  #held = 0
  #total = 0
  readonly failures: string[] = []

  /**
   * Runs `fn`; it holds when `fn` resolves (its string is printed as the
   * detail) and fails when it throws. Returns whether it held.
   */
  async check(
    name: string,
    fn: () => Promise<string | undefined> | string | undefined,
  ): Promise<boolean> {
    this.#total++
    try {
      const detail = await fn()
      this.#held++
      console.log(`  ok    ${name}${detail ? `: ${detail}` : ''}`)
      return true
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      this.failures.push(name)
      console.log(`  FAIL  ${name}: ${why}`)
      return false
    }
  }

  get allHeld(): boolean {
    return this.#held === this.#total
  }

  summary(): string {
    return `rehearsal: ${this.#held}/${this.#total} checks hold`
  }
}
