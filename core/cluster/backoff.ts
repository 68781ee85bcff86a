/**
 * @module
 * Restart back-off for crashing workers: quick after a rare crash, slower when
 * workers keep dying, reset once a worker has lived a while.
 */

/** Options of {@link RestartBackoff}. */
export interface BackoffOptions {
  /** First delay. @defaultValue 500 */
  baseMs?: number
  /** Longest delay. @defaultValue 30000 */
  maxMs?: number
  /** A worker that lived this long resets the count. @defaultValue 30000 */
  stableMs?: number
}

/** Counts recent crashes and gives the delay before the next restart. */
export class RestartBackoff {
  #crashes = 0
  readonly #options: Required<BackoffOptions>

  constructor(options: BackoffOptions = {}) {
    this.#options = { baseMs: 500, maxMs: 30_000, stableMs: 30_000, ...options }
  }

  /** Records a crash of a worker that lived `livedMs`; returns the delay before restarting it. */
  nextDelay(livedMs: number): number {
    if (livedMs >= this.#options.stableMs) this.#crashes = 0
    const delay = Math.min(this.#options.maxMs, this.#options.baseMs * 2 ** this.#crashes)
    this.#crashes++
    return delay
  }
}
