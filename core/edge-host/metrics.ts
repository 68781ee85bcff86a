/** @module `score_cache_requests_total{tier,result}` and `score_cache_refreshes_total{outcome}` on a process registry. */
import { Counter, type Registry } from 'prom-client'
import type { CountCacheRequest, CountRefresh } from '../../edge/score/index.ts'

/** Registers the counter and returns the function the score service calls. */
export function scoreCacheCounter(registry: Registry): CountCacheRequest {
  const counter = new Counter({
    name: 'score_cache_requests_total',
    help: 'Score cache lookups by tier (l1, redis) and result (hit, stale, miss, error)',
    labelNames: ['tier', 'result'] as const,
    registers: [registry],
  })
  // Start every series at 0 so rate() and hit ratios work before the first error.
  for (const tier of ['l1', 'redis'] as const) {
    for (const result of ['hit', 'stale', 'miss', 'error'] as const)
      counter.inc({ tier, result }, 0)
  }
  return (tier, result) => counter.inc({ tier, result })
}

/** Registers the counter of background refreshes and returns the function the score service calls. */
export function scoreRefreshCounter(registry: Registry): CountRefresh {
  const counter = new Counter({
    name: 'score_cache_refreshes_total',
    help: 'Background refreshes of stale scores by outcome (refreshed, adopted, skipped, error)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  for (const outcome of ['refreshed', 'adopted', 'skipped', 'error'] as const) {
    counter.inc({ outcome }, 0)
  }
  return (outcome) => counter.inc({ outcome })
}
