/**
 * @module
 * The limiter's fallback as metrics: `rate_limit_fallback_active{service}`
 * (1 while this process counts in memory because the limiter's Redis failed;
 * summed across cluster workers it is the number of workers in fallback) and
 * `rate_limit_fallback_requests_total{service}` (requests counted so).
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { RateLimitObserver } from '../../edge/rate-limit/index.ts'

/** Registers both metrics for `service` on `registry` and returns the limiter's observer. */
export function rateLimitObserver(registry: Registry, service: string): RateLimitObserver {
  const active = new Gauge({
    name: 'rate_limit_fallback_active',
    help: 'Whether the rate limiter counts in process memory (its Redis failed): 1 per process in fallback',
    labelNames: ['service'] as const,
    registers: [registry],
    aggregator: 'sum',
  })
  const requests = new Counter({
    name: 'rate_limit_fallback_requests_total',
    help: 'Requests the rate limiter counted in process memory because its Redis failed',
    labelNames: ['service'] as const,
    registers: [registry],
  })
  // Both series exist from the start, so alerts and rate() see 0 rather than nothing.
  active.set({ service }, 0)
  requests.inc({ service }, 0)
  return {
    fallbackActive: (on) => active.set({ service }, on ? 1 : 0),
    fallbackRequest: () => requests.inc({ service }),
  }
}
