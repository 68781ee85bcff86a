/**
 * @module
 * Scores with a two-tier cache: L1 in process, then Redis (any
 * {@link KeyValueCache}), then the one SQL aggregation. Concurrent misses for
 * a key compute once. A cache that fails or is slow is bypassed (the answer
 * comes from the database); a database that fails is a 503 with Retry-After.
 */
import { type KeyValueCache, L1Cache, SingleFlight, withTimeout } from '../cache/index.ts'
import type { SqlClient } from '../db/types.ts'
import { DependencyUnavailableError } from '../errors/index.ts'
import { scoreKey } from './key.ts'
import { computeScore, type ScoreComponents } from './model.ts'
import type { ScoreQuery } from './query.ts'
import { SCORE_SQL, type ScoreRow } from './sql.ts'

/** The `/score` payload. */
export interface ScoreResult {
  topic: string
  product: string | null
  score: number
  components: ScoreComponents
  computedAt: string
}

/** `HIT` from a cache tier, `MISS` computed and stored, `BYPASS` computed while the cache was down. */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS'
/** Cache tiers, as in `score_cache_requests_total{tier}`. */
export type CacheTier = 'l1' | 'redis'
/** Counts one cache lookup. */
export type CountCacheRequest = (tier: CacheTier, result: 'hit' | 'miss' | 'error') => void

/** A score and how it was served. */
export interface ScoreLookup {
  result: ScoreResult
  /** `result` as JSON, kept from the cache so a hit is sent without re-serialising. */
  body: string
  status: CacheStatus
  /** Which tier answered a HIT. */
  tier?: CacheTier
  /** The validator of `body`, from `etagOf` (present only when that option is). */
  etag?: string
}

/** Options of {@link createScoreService}. */
export interface ScoreServiceOptions {
  db: SqlClient
  cache: KeyValueCache
  /** Redis expiry (`SCORE_CACHE_TTL_SECONDS`). */
  ttlSeconds: number
  /** The L1; `false` turns it off. @defaultValue `{ maxEntries: 10_000, ttlMs: 2_000 }` */
  l1?: { maxEntries: number; ttlMs: number } | false
  /** Deadline of each cache call. @defaultValue 250 */
  cacheTimeoutMs?: number
  countCacheRequest?: CountCacheRequest
  /** Logs cache and database failures. */
  onError?: (err: unknown, where: 'cache' | 'database') => void
  now?: () => Date
  /**
   * Computes the entity tag kept with each value, once, when the value enters
   * L1 (from Redis or the database), so a conditional request is answered
   * from the tag alone. The tRPC gateway passes the tag its `score.get`
   * answer carries. @defaultValue none: lookups carry no tag
   */
  etagOf?: (body: string) => string
}

/** What L1 keeps: the result, its JSON and (with `etagOf`) its tag; Redis keeps the JSON. */
type Cached = { result: ScoreResult; body: string; etag?: string }

/** Creates the score service. */
export function createScoreService(options: ScoreServiceOptions) {
  const { db, cache, ttlSeconds } = options
  const cacheTimeoutMs = options.cacheTimeoutMs ?? 250
  const count = options.countCacheRequest ?? (() => {})
  const onError = options.onError ?? (() => {})
  const now = options.now ?? (() => new Date())
  const l1Options = options.l1 ?? { maxEntries: 10_000, ttlMs: 2_000 }
  const l1 = l1Options ? new L1Cache<Cached>(l1Options) : undefined
  const flights = new SingleFlight<ScoreLookup>()
  const etagOf = options.etagOf

  function entryOf(result: ScoreResult, body: string): Cached {
    return etagOf ? { result, body, etag: etagOf(body) } : { result, body }
  }

  async function compute(query: ScoreQuery): Promise<ScoreResult> {
    const at = now()
    let rows: ScoreRow[]
    try {
      rows = await db.query<ScoreRow>(SCORE_SQL, [
        query.topic,
        query.product ?? null,
        at.toISOString(),
      ])
    } catch (err) {
      onError(err, 'database')
      // The error handler (and the gateway's asTrpcError) answer the one 503.
      throw new DependencyUnavailableError(
        'database',
        'The score database is unavailable; retry later',
        { cause: err },
      )
    }
    const row = rows[0]
    const { score, components } = computeScore(
      {
        recentCount: Number(row?.recent_count ?? 0),
        recentSum: Number(row?.recent_sum ?? 0),
        baselineCount: Number(row?.baseline_count ?? 0),
        baselineSum: Number(row?.baseline_sum ?? 0),
        sources: Number(row?.sources ?? 0),
        lastObservedAt: row?.last_observed_at ? new Date(row.last_observed_at) : null,
      },
      at,
    )
    return {
      topic: query.topic,
      product: query.product ?? null,
      score,
      components,
      computedAt: at.toISOString(),
    }
  }

  async function fromRedisOrDatabase(l1Key: string, query: ScoreQuery): Promise<ScoreLookup> {
    const key = scoreKey(query)
    let cacheUp = true
    try {
      const body = await withTimeout(cache.get(key), cacheTimeoutMs, 'cache get')
      if (body !== null) {
        count('redis', 'hit')
        const entry = entryOf(JSON.parse(body) as ScoreResult, body)
        l1?.set(l1Key, entry)
        return { ...entry, status: 'HIT', tier: 'redis' }
      }
      count('redis', 'miss')
    } catch (err) {
      count('redis', 'error')
      onError(err, 'cache')
      cacheUp = false
    }
    const result = await compute(query)
    const entry = entryOf(result, JSON.stringify(result))
    l1?.set(l1Key, entry)
    if (!cacheUp) return { ...entry, status: 'BYPASS' }
    try {
      await withTimeout(cache.set(key, entry.body, ttlSeconds), cacheTimeoutMs, 'cache set')
    } catch (err) {
      count('redis', 'error')
      onError(err, 'cache')
    }
    return { ...entry, status: 'MISS' }
  }

  /** The score of a normalised query, with its cache status. */
  async function get(query: ScoreQuery): Promise<ScoreLookup> {
    // In process the plain text is the key: hashing is only paid on the way
    // to Redis. NUL cannot occur in a validated topic.
    const l1Key = `${query.topic}\u0000${query.product ?? ''}`
    if (l1) {
      const hit = l1.get(l1Key)
      if (hit) {
        count('l1', 'hit')
        return { ...hit, status: 'HIT', tier: 'l1' }
      }
      count('l1', 'miss')
    }
    return flights.run(l1Key, () => fromRedisOrDatabase(l1Key, query))
  }

  return {
    get,
    /**
     * The tag of the query's current value (computed if not cached), without
     * handing out the value: a conditional request is answered from it.
     * Undefined without `etagOf`.
     */
    async etag(query: ScoreQuery): Promise<string | undefined> {
      return (await get(query)).etag
    },
    ttlSeconds,
  }
}

/** The score service. */
export type ScoreService = ReturnType<typeof createScoreService>
