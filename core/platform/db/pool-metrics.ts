/**
 * @module
 * Pool gauges, read from the pools at scrape time (no timers to leak).
 * Under node:cluster each worker owns its pool, so the aggregate is the sum.
 */
import type pg from 'pg'
import { Gauge, type Registry } from 'prom-client'

type PoolGauges = { pools: Map<string, pg.Pool> }
const byRegistry = new WeakMap<Registry, PoolGauges>()

function gaugesFor(registry: Registry): PoolGauges {
  const existing = byRegistry.get(registry)
  if (existing) return existing
  const state: PoolGauges = { pools: new Map() }
  const gauge = (name: string, help: string, read: (pool: pg.Pool) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'] as const,
      registers: [registry],
      aggregator: 'sum',
      collect() {
        this.reset()
        for (const [pool, p] of state.pools) {
          // An ended pool stops being exported (and frees its name).
          if (p.ending || p.ended) state.pools.delete(pool)
          else this.set({ pool }, read(p))
        }
      },
    })
  gauge('db_pool_size', 'Maximum connections of the pool', (p) => p.options.max)
  gauge('db_pool_in_use', 'Connections checked out of the pool', (p) => p.totalCount - p.idleCount)
  gauge('db_pool_waiting', 'Requests waiting for a pool connection', (p) => p.waitingCount)
  byRegistry.set(registry, state)
  return state
}

/** Exports `pool`'s gauges on `registry` under the label `pool=<name>` until the pool ends. */
export function trackPool(registry: Registry, name: string, pool: pg.Pool): void {
  const { pools } = gaugesFor(registry)
  const current = pools.get(name)
  if (current && !current.ending && !current.ended)
    throw new Error(`a pool named "${name}" is already tracked`)
  pools.set(name, pool)
}
