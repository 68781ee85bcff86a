/**
 * @module
 * A node:cluster worker's side of metrics aggregation: the primary asks each
 * worker over IPC and serves one aggregated `/metrics`; workers serve none.
 */
import { AggregatorRegistry, type Registry } from 'prom-client'

/** Answers the primary's metrics requests with `registry`. */
export function exposeToPrimary(registry: Registry): void {
  // Constructing an AggregatorRegistry installs the worker's IPC listener.
  new AggregatorRegistry()
  AggregatorRegistry.setRegistries([registry])
}
