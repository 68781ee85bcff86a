/** @module The scoring engine: query validation, the model, its SQL, the cached service and the route. */

export { SCORE_KEY_PREFIX, scoreKey } from './key.ts'
export { computeScore, SCORE_WEIGHTS, type ScoreAggregates, type ScoreComponents } from './model.ts'
export { PRODUCTS, type Product } from './products.ts'
export { MAX_TOPIC_LENGTH, normaliseTopic, type ScoreQuery, scoreQuerySchema } from './query.ts'
export { scoreRoute } from './route.ts'
export {
  type CacheResult,
  type CacheStatus,
  type CacheTier,
  type CountCacheRequest,
  type CountRefresh,
  createScoreService,
  type GetOptions,
  type RefreshOutcome,
  type ScoreLookup,
  type ScoreResult,
  type ScoreService,
  type ScoreServiceOptions,
} from './service.ts'
export {
  defaultSoftTtlSeconds,
  type ScoreConfig,
  type ScoreHttpCaching,
  type ScoreHttpCachingConfig,
  scoreCacheControl,
  scoreHttpCaching,
  scoreSettings,
} from './settings.ts'
export { SCORE_SQL, type ScoreRow } from './sql.ts'
