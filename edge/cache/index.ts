/** @module Cache building blocks: the cache contract, the L1, single flight and deadlines. */
export { L1Cache, type L1Options } from './l1.ts'
export { SingleFlight } from './single-flight.ts'
export { TimeoutError, withTimeout } from './timeout.ts'
export type { KeyValueCache } from './types.ts'
