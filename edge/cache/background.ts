/**
 * @module
 * Background work that must not touch the request that started it: one task
 * per key at a time, each bounded by a deadline, failures reported and never
 * thrown, and handed to the runtime's `waitUntil` (workerd ends an isolate's
 * work with its response otherwise).
 */
import { withTimeout } from './timeout.ts'

/** Keeps the runtime alive for a promise after the response (workerd's `executionCtx.waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void

/** Options of {@link BackgroundTasks}. */
export interface BackgroundTasksOptions {
  /** Deadline of one task; past it the task counts as failed and its key is free again. */
  timeoutMs: number
  /** Called with each task's failure (a deadline missed included). */
  onError: (err: unknown) => void
}

/** Runs at most one background task per key. */
export class BackgroundTasks {
  readonly #running = new Map<string, Promise<void>>()
  readonly #options: BackgroundTasksOptions

  constructor(options: BackgroundTasksOptions) {
    this.#options = options
  }

  /** Starts `task` unless one for `key` runs; returns at once. */
  start(key: string, task: () => Promise<void>, waitUntil?: WaitUntil): void {
    if (this.#running.has(key)) return
    const run = withTimeout(
      Promise.resolve().then(task),
      this.#options.timeoutMs,
      `background task ${key}`,
    )
      .catch(this.#options.onError)
      .finally(() => this.#running.delete(key))
    this.#running.set(key, run)
    waitUntil?.(run)
  }

  /** Resolves once every task started so far has ended (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values())
  }

  get size(): number {
    return this.#running.size
  }
}
