/**
 * @module
 * Scores with a two-tier cache: L1 in process, then Redis (any
 * {@link KeyValueCache}), then the one SQL aggregation. Concurrent misses for
 * a key compute once. A cached score carries its age (`computedAt`): past the
 * soft TTL it is served at once (`STALE`) and refreshed in the background by
 * one caller across processes (a short lock in the cache); XFetch refreshes
 * some keys a little early so keys cached together do not expire together;
 * past the hard TTL (the Redis expiry) it is a miss. A cache that fails or is
 * slow is bypassed (the answer comes from the database); a database that
 * fails is a 503 with Retry-After.
 */
import {
  BackgroundTasks,
  type Freshness,
  freshness,
  type KeyValueCache,
  L1Cache,
  SingleFlight,
  type WaitUntil,
  withTimeout,
} from '../cache/index.ts'
import type { SqlClient } from '../db/types.ts'
import { DependencyUnavailableError } from '../errors/index.ts'
import { scoreKey } from './key.ts'
import { computeScore, type ScoreComponents } from './model.ts'
import type { ScoreQuery } from './query.ts'
import {
  defaultSoftTtlSeconds,
  type ScoreHttpCaching,
  scoreCacheControl,
  scoreHttpCaching,
} from './settings.ts'
import { SCORE_SQL, type ScoreRow } from './sql.ts'

/** The `/score` payload. */
export interface ScoreResult {
  topic: string
  product: string | null
  score: number
  components: ScoreComponents
  computedAt: string
}

/**
 * `HIT` from a cache tier, `STALE` from a cache tier past the soft TTL (being
 * refreshed), `MISS` computed and stored, `BYPASS` computed while the cache was down.
 */
export type CacheStatus = 'HIT' | 'STALE' | 'MISS' | 'BYPASS'
/** Cache tiers, as in `score_cache_requests_total{tier}`. */
export type CacheTier = 'l1' | 'redis'
/** Results of `score_cache_requests_total{result}`. */
export type CacheResult = 'hit' | 'stale' | 'miss' | 'error'
/** Counts one cache lookup. */
export type CountCacheRequest = (tier: CacheTier, result: CacheResult) => void
/**
 * How a background refresh ended: `refreshed` (computed and stored),
 * `adopted` (another process had stored a newer value), `skipped` (another
 * process holds the refresh lock), `error` (a dependency failed or the deadline passed).
 */
export type RefreshOutcome = 'refreshed' | 'adopted' | 'skipped' | 'error'
/** Counts one background refresh, as `score_cache_refreshes_total{outcome}`. */
export type CountRefresh = (outcome: RefreshOutcome) => void

/** A score and how it was served. */
export interface ScoreLookup {
  result: ScoreResult
  /** `result` as JSON, kept from the cache so a hit is sent without re-serialising. */
  body: string
  status: CacheStatus
  /** Which tier answered a HIT or STALE. */
  tier?: CacheTier
  /** The validator of `body`, from `etagOf` (present only when that option is). */
  etag?: string
}

/** Options of {@link createScoreService}. */
export interface ScoreServiceOptions {
  db: SqlClient
  cache: KeyValueCache
  /** Hard TTL: the Redis expiry; an older value is a miss (`SCORE_CACHE_TTL_SECONDS`). */
  ttlSeconds: number
  /**
   * Soft TTL: an older value is served `STALE` and refreshed in the background
   * (`SCORE_CACHE_SOFT_TTL_SECONDS`). @defaultValue a fifth of `ttlSeconds` ({@link defaultSoftTtlSeconds})
   */
  softTtlSeconds?: number
  /** How long browsers and the CDN keep an answer. @defaultValue from the TTLs ({@link scoreHttpCaching}) */
  httpCaching?: ScoreHttpCaching
  /** XFetch's beta (0: no early refresh). @defaultValue 1 */
  refreshBeta?: number
  /** Uniform in [0, 1), XFetch's dice. @defaultValue `Math.random` */
  random?: () => number
  /**
   * Deadline of one background refresh, and how long its lock is held.
   * @defaultValue 5000, at most the soft TTL
   */
  refreshTimeoutMs?: number
  /** The L1; `false` turns it off. @defaultValue `{ maxEntries: 10_000, ttlMs: 2_000 }` */
  l1?: { maxEntries: number; ttlMs: number } | false
  /** Deadline of each cache call. @defaultValue 250 */
  cacheTimeoutMs?: number
  countCacheRequest?: CountCacheRequest
  countRefresh?: CountRefresh
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

/** Per lookup: where background work may be kept alive (workerd). */
export interface GetOptions {
  waitUntil?: WaitUntil
}

/**
 * A cached value as this process holds it: the result, its JSON, its age's
 * origin, and the lookups a hit hands out, built once so a hit allocates nothing.
 */
interface Cached {
  result: ScoreResult
  body: string
  computedAtMs: number
  etag?: string
  answers: Record<CacheTier, Record<'HIT' | 'STALE', ScoreLookup>>
}

/** Creates the score service. */
export function createScoreService(options: ScoreServiceOptions) {
  const { db, cache, ttlSeconds } = options
  const softTtlSeconds = options.softTtlSeconds ?? defaultSoftTtlSeconds(ttlSeconds)
  const cacheTimeoutMs = options.cacheTimeoutMs ?? 250
  const count = options.countCacheRequest ?? (() => {})
  const countRefresh = options.countRefresh ?? (() => {})
  const onError = options.onError ?? (() => {})
  const now = options.now ?? (() => new Date())
  // A hit reads the clock: without an injected one, no Date is made for it.
  const nowMs = options.now ? () => now().getTime() : Date.now
  const l1Options = options.l1 ?? { maxEntries: 10_000, ttlMs: 2_000 }
  const l1 = l1Options ? new L1Cache<Cached>(l1Options) : undefined
  const flights = new SingleFlight<ScoreLookup>()
  const etagOf = options.etagOf
  const ttls = {
    softTtlMs: softTtlSeconds * 1000,
    hardTtlMs: ttlSeconds * 1000,
    beta: options.refreshBeta ?? 1,
    random: options.random ?? Math.random,
  }
  const httpCaching = options.httpCaching ?? scoreHttpCaching({ ttlSeconds, softTtlSeconds })
  const refreshTimeoutMs = Math.min(options.refreshTimeoutMs ?? 5_000, ttls.softTtlMs)
  const refreshes = new BackgroundTasks({
    timeoutMs: refreshTimeoutMs,
    onError: (err) => {
      // The database's failures were logged where they happened.
      if (!(err instanceof DependencyUnavailableError)) onError(err, 'cache')
      countRefresh('error')
    },
  })
  // XFetch's delta: how long a recompute takes, a moving average (real time, not `now`).
  let computeMs = 0

  function entryOf(result: ScoreResult, body: string): Cached {
    const etag = etagOf?.(body)
    const lookup = (status: 'HIT' | 'STALE', tier: CacheTier): ScoreLookup =>
      etag === undefined ? { result, body, status, tier } : { result, body, status, tier, etag }
    return {
      result,
      body,
      computedAtMs: Date.parse(result.computedAt),
      ...(etag === undefined ? {} : { etag }),
      answers: {
        l1: { HIT: lookup('HIT', 'l1'), STALE: lookup('STALE', 'l1') },
        redis: { HIT: lookup('HIT', 'redis'), STALE: lookup('STALE', 'redis') },
      },
    }
  }

  function freshnessOf(entry: Cached): Freshness {
    return freshness(nowMs() - entry.computedAtMs, computeMs, ttls)
  }

  async function compute(query: ScoreQuery): Promise<ScoreResult> {
    const at = now()
    const started = performance.now()
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
    const took = performance.now() - started
    computeMs = computeMs === 0 ? took : 0.8 * computeMs + 0.2 * took
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

  async function computeEntry(query: ScoreQuery): Promise<Cached> {
    const result = await compute(query)
    return entryOf(result, JSON.stringify(result))
  }

  /** The cached entry of `key`, or null; throws when the cache fails. */
  async function readCache(key: string): Promise<Cached | null> {
    const body = await withTimeout(cache.get(key), cacheTimeoutMs, 'cache get')
    return body === null ? null : entryOf(JSON.parse(body) as ScoreResult, body)
  }

  function writeCache(key: string, entry: Cached): Promise<void> {
    return withTimeout(cache.set(key, entry.body, ttlSeconds), cacheTimeoutMs, 'cache set')
  }

  /**
   * Replaces `served` (stale, or picked by XFetch) in the background: adopts a
   * newer value another process stored, else computes it if this caller wins
   * the cross-process lock. Never throws into the request that started it.
   */
  function refreshLater(l1Key: string, query: ScoreQuery, served: Cached, waitUntil?: WaitUntil) {
    refreshes.start(
      l1Key,
      async () => {
        const key = scoreKey(query)
        const stored = await readCache(key)
        if (stored && stored.computedAtMs > served.computedAtMs) {
          l1?.set(l1Key, stored)
          return countRefresh('adopted')
        }
        // One lock per value replaced: the refresh of this version, whichever
        // process wins it; the next version's refresh never waits for it.
        const claimed = await withTimeout(
          cache.claim(`${key}:refresh:${served.computedAtMs}`, refreshTimeoutMs),
          cacheTimeoutMs,
          'cache claim',
        )
        if (!claimed) return countRefresh('skipped')
        const entry = await computeEntry(query)
        l1?.set(l1Key, entry)
        await writeCache(key, entry)
        countRefresh('refreshed')
      },
      waitUntil,
    )
  }

  /** A cached entry's answer: a hit, or stale (refreshing it), or undefined past the hard TTL. */
  function serve(
    tier: CacheTier,
    entry: Cached,
    l1Key: string,
    query: ScoreQuery,
    waitUntil?: WaitUntil,
  ): ScoreLookup | undefined {
    const state = freshnessOf(entry)
    if (state === 'expired') return undefined
    if (state !== 'fresh') refreshLater(l1Key, query, entry, waitUntil)
    const status = state === 'stale' ? 'STALE' : 'HIT'
    count(tier, status === 'STALE' ? 'stale' : 'hit')
    return entry.answers[tier][status]
  }

  async function fromRedisOrDatabase(
    l1Key: string,
    query: ScoreQuery,
    waitUntil?: WaitUntil,
  ): Promise<ScoreLookup> {
    const key = scoreKey(query)
    let cacheUp = true
    try {
      const stored = await readCache(key)
      if (stored) {
        const answer = serve('redis', stored, l1Key, query, waitUntil)
        if (answer) {
          l1?.set(l1Key, stored)
          return answer
        }
      }
      count('redis', 'miss')
    } catch (err) {
      count('redis', 'error')
      onError(err, 'cache')
      cacheUp = false
    }
    const entry = await computeEntry(query)
    l1?.set(l1Key, entry)
    const { result, body, etag } = entry
    const computed = etag === undefined ? { result, body } : { result, body, etag }
    if (!cacheUp) return { ...computed, status: 'BYPASS' }
    try {
      await writeCache(key, entry)
    } catch (err) {
      count('redis', 'error')
      onError(err, 'cache')
    }
    return { ...computed, status: 'MISS' }
  }

  /** The score of a normalised query, with its cache status. */
  function get(query: ScoreQuery, getOptions: GetOptions = {}): Promise<ScoreLookup> {
    // In process the plain text is the key: hashing is only paid on the way
    // to Redis. NUL cannot occur in a validated topic.
    const l1Key = `${query.topic}\u0000${query.product ?? ''}`
    if (l1) {
      const hit = l1.get(l1Key)
      const answer = hit && serve('l1', hit, l1Key, query, getOptions.waitUntil)
      if (answer) return Promise.resolve(answer)
      count('l1', 'miss')
    }
    return flights.run(l1Key, () => fromRedisOrDatabase(l1Key, query, getOptions.waitUntil))
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
    /** Resolves once the background refreshes started so far have ended (shutdown, tests). */
    settled: (): Promise<void> => refreshes.settled(),
    ttlSeconds,
    softTtlSeconds,
    /** How long browsers and shared caches may keep an answer (`SCORE_*` settings). */
    httpCaching,
    /** `Cache-Control` of an answer, from `httpCaching`. */
    cacheControl: scoreCacheControl(httpCaching),
  }
}

/** The score service. */
export type ScoreService = ReturnType<typeof createScoreService>
