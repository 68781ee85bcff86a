/**
 * @module
 * Core's error classifier: the Node-side errors that mean a dependency is
 * down (a lost PostgreSQL connection, a Redis that cannot take a job, a
 * metrics store that failed) become the one 503 with `Retry-After`. Routes
 * throw or let these through; none builds a 503 of its own.
 */
import { type ErrorClassifier, serviceUnavailable } from '../../edge/errors/index.ts'
import { MetricsStoreError } from '../optimization/store/index.ts'
import { databaseUnavailable } from '../platform/db/index.ts'
import { QueueUnavailableError } from '../platform/queue/index.ts'

/** A 503 for an outage core recognises, or undefined for any other error. */
export const coreOutage: ErrorClassifier = (err) => {
  if (err instanceof QueueUnavailableError) {
    return serviceUnavailable('queue', 'The queue is unavailable; retry later')
  }
  if (err instanceof MetricsStoreError) {
    return serviceUnavailable('metricsStore', 'The metrics store is unavailable; retry later')
  }
  return databaseUnavailable(err)
}
