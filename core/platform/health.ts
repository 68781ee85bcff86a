/**
 * @module
 * Readiness checks: each dependency a process needs answers a ping within a
 * deadline, or the process reports itself not ready (never hangs the probe).
 */

/** One readiness check: resolves when the dependency answers. */
export interface HealthCheck {
  name: string
  check: () => Promise<unknown>
}

/** Outcome of all checks. */
export interface ReadinessReport {
  ready: boolean
  checks: Record<string, { ok: boolean; error?: string; ms: number }>
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  timeoutMs = 2000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const start = performance.now()
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      })
      try {
        await Promise.race([check(), deadline])
        return [name, { ok: true, ms: elapsed(start) }] as const
      } catch (err) {
        return [name, { ok: false, error: (err as Error).message, ms: elapsed(start) }] as const
      } finally {
        clearTimeout(timer)
      }
    }),
  )
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) }
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start)
}
