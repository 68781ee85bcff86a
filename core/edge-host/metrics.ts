/** @module `score_cache_requests_total{tier,result}` on a process registry. */
import { Counter, type Registry } from 'prom-client'
import type { CountCacheRequest } from '../../edge/score/index.ts'

/** Registers the counter and returns the function the score service calls. */
export function scoreCacheCounter(registry: Registry): CountCacheRequest {
  const counter = new Counter({
    name: 'score_cache_requests_total',
    help: 'Score cache lookups by tier (l1, redis) and result (hit, miss, error)',
    labelNames: ['tier', 'result'] as const,
    registers: [registry],
  })
  // Start every series at 0 so rate() and hit ratios work before the first error.
  for (const tier of ['l1', 'redis'] as const) {
    for (const result of ['hit', 'miss', 'error'] as const) counter.inc({ tier, result }, 0)
  }
  return (tier, result) => counter.inc({ tier, result })
}
