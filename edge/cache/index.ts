/** @module Cache building blocks: the cache contract, the L1, a bounded memo, freshness, single flight, background tasks and deadlines. */
export { BackgroundTasks, type BackgroundTasksOptions, type WaitUntil } from './background.ts'
export { type Freshness, type FreshnessOptions, freshness } from './freshness.ts'
export { L1Cache, type L1Options } from './l1.ts'
export { boundedMemo } from './memo.ts'
export { SingleFlight } from './single-flight.ts'
export { TimeoutError, withTimeout } from './timeout.ts'
export type { KeyValueCache } from './types.ts'
