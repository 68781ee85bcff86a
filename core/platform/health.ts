/**
 * @module
 * Readiness checks: each dependency a process needs answers a ping within a
 * deadline, or the process reports itself not ready (never hangs the probe).
 */
import { withTimeout } from '../../edge/cache/timeout.ts'

/**
 * One readiness check: resolves when the dependency answers. Resolving with a
 * {@link HealthDetail} puts its text beside `ok` in the report.
 */
export interface HealthCheck {
  name: string
  check: () => Promise<unknown>
}

/**
 * What a passing check may resolve with to say what it found (the provider in
 * use, say). A class, so a client's own return value ('PONG', a query result)
 * is never mistaken for one.
 */
export class HealthDetail {
  constructor(readonly detail: string) {}
}

/** Outcome of all checks. */
export interface ReadinessReport {
  ready: boolean
  checks: Record<string, { ok: boolean; error?: string; detail?: string; ms: number }>
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  timeoutMs = 2000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const start = performance.now()
      try {
        const value = await withTimeout(check(), timeoutMs, name)
        const detail = value instanceof HealthDetail ? { detail: value.detail } : {}
        return [name, { ok: true, ...detail, ms: elapsed(start) }] as const
      } catch (err) {
        return [name, { ok: false, error: (err as Error).message, ms: elapsed(start) }] as const
      }
    }),
  )
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) }
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start)
}
