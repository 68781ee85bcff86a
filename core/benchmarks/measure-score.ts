/**
 * @module
 * The score benchmark engine: times a running edge's `/score` as it is. It
 * seeds nothing and starts nothing, so it serves the scheduled job (the
 * deployed edge) and scripts/benchmark_score.ts (its local edges) alike.
 *
 * The edge has no cache-bypass switch, so "uncached" is the first request of
 * a key that is not cached, and "cached" the repeat of that key; `X-Cache`
 * tells which one each answer was. Keys that are already cached (live
 * traffic asked for them) are passed over, not counted, until `runs` keys
 * have missed.
 */
import type { ScoreQuery } from '../../edge/score/index.ts'
import { createHttpProbe, type HttpProbe } from './http-probe.ts'
import { cacheClass, type PassFigures, passFigures, type TimedAnswer } from './pass-figures.ts'
import { scoreQueries, scoreUrl } from './score-queries.ts'

/** Progress of one pass: called after each request, then once at its end. */
export interface PassProgress {
  tick: (done: number) => void
  done: () => void
}

/** Options of {@link measureScore}. */
export interface MeasureScoreOptions {
  /** The edge's base URL. */
  url: string
  /** Topics whose keys are requested (each gives {@link KEYS_PER_TOPIC} keys). */
  topics: readonly string[]
  /** Requests per pass. */
  runs: number
  /** Progress of each pass (a progress bar). @defaultValue none */
  onPass?: (label: string, total: number) => PassProgress
  /** Deadline of one request. @defaultValue 10000 */
  timeoutMs?: number
}

/** What {@link measureScore} measured. */
export interface ScoreMeasurement {
  target: string
  /** The edge's /healthz: the HTTP round trip every request includes. */
  floor: PassFigures
  /** First requests of keys that missed. */
  uncached: PassFigures
  /** Their repeats, each a HIT (of whichever tier answered). */
  cached: PassFigures
  /** uncached over cached total. */
  speedup: number
  /** The keys measured, in order. */
  queries: ScoreQuery[]
  /** Keys passed over because they were already cached. */
  alreadyCached: number
}

const noProgress: PassProgress = { tick: () => {}, done: () => {} }

/** GETs each URL in turn with `probe`; the answers' figures under `label`. */
export async function timedPass(
  probe: HttpProbe,
  label: string,
  urls: readonly string[],
  progress: PassProgress = noProgress,
): Promise<PassFigures> {
  const answers: TimedAnswer[] = []
  for (const url of urls) {
    answers.push(await probe.get(url))
    progress.tick(answers.length)
  }
  progress.done()
  return passFigures(label, answers)
}

/** Options of {@link loadPass}. */
export interface LoadPassOptions {
  label: string
  /** Concurrent clients, each on its own keep-alive socket, one request at a time. */
  clients: number
  /** How long the pass runs, in ms. */
  durationMs: number
  /** Progress in tenths of a second. @defaultValue none */
  progress?: PassProgress
  /** Deadline of one request. @defaultValue 10000 */
  timeoutMs?: number
}

/**
 * `clients` concurrent clients GET `urls` round-robin (each starting at its
 * own offset) for `durationMs`: the figures of every answer. Under load, keys
 * whose soft TTL passes meanwhile show what their refreshes cost the requests.
 */
export async function loadPass(
  urls: readonly string[],
  options: LoadPassOptions,
): Promise<PassFigures> {
  const answers: TimedAnswer[] = []
  const started = performance.now()
  const deadline = started + options.durationMs
  const progress = options.progress ?? noProgress
  const ticker = setInterval(
    () => progress.tick(Math.round((performance.now() - started) / 100)),
    100,
  )
  const client = async (offset: number) => {
    const probe = createHttpProbe(urls[0]!, options.timeoutMs)
    try {
      for (let i = offset; performance.now() < deadline; i++) {
        answers.push(await probe.get(urls[i % urls.length]!))
      }
    } finally {
      probe.close()
    }
  }
  try {
    const stride = Math.max(1, Math.floor(urls.length / options.clients))
    await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c * stride)))
  } finally {
    clearInterval(ticker)
    progress.done()
  }
  return passFigures(options.label, answers)
}

/** An answer that is not the edge's /score (no X-Cache of ours) stops the run. */
function classOf(url: string, answer: TimedAnswer) {
  const found = cacheClass(answer.xCache)
  if (!found) throw new Error(`${url} answered X-Cache ${answer.xCache ?? '(none)'}: not the edge`)
  return found
}

/** First requests until `runs` keys missed: the uncached answers and their keys. */
async function firstRequests(
  probe: HttpProbe,
  base: string,
  candidates: readonly ScoreQuery[],
  runs: number,
  progress: PassProgress,
) {
  const answers: TimedAnswer[] = []
  const queries: ScoreQuery[] = []
  let alreadyCached = 0
  for (const query of candidates) {
    if (answers.length === runs) break
    const url = scoreUrl(base, query)
    const answer = await probe.get(url)
    if (classOf(url, answer) === 'cached') {
      alreadyCached++
      continue
    }
    answers.push(answer)
    queries.push(query)
    progress.tick(answers.length)
  }
  progress.done()
  if (answers.length < runs) {
    throw new Error(
      `only ${answers.length} of ${candidates.length} keys were uncached (${alreadyCached} already cached); ${runs} runs need more topics`,
    )
  }
  return { answers, queries, alreadyCached }
}

/** Times `runs` uncached and `runs` cached `/score` requests and the /healthz floor. */
export async function measureScore(options: MeasureScoreOptions): Promise<ScoreMeasurement> {
  const base = options.url.replace(/\/$/, '')
  const onPass = options.onPass ?? (() => noProgress)
  const probe = createHttpProbe(base, options.timeoutMs)
  try {
    // Opens the socket and warms the edge's score path on a key outside the measured set.
    await probe.get(`${base}/score?topic=warm%20up`)
    const floor = await timedPass(
      probe,
      'floor (/healthz)',
      Array.from({ length: options.runs }, () => `${base}/healthz`),
    )
    const first = await firstRequests(
      probe,
      base,
      scoreQueries(options.topics),
      options.runs,
      onPass('uncached', options.runs),
    )
    const uncached = passFigures('uncached', first.answers)
    const urls = first.queries.map((q) => scoreUrl(base, q))
    const repeats = await timedPass(probe, 'cached', urls, onPass('cached', options.runs))
    const tags = Object.keys(repeats.cache).map((tag) => tag.split('/'))
    // BYPASS on the repeat: the edge's cache is down, and "cached" would be a second miss.
    if (tags.some(([xCache]) => cacheClass(xCache) !== 'cached')) {
      throw new Error(`repeated keys were not all cached: ${JSON.stringify(repeats.cache)}`)
    }
    // One tier answered every repeat (an edge with its L1 off: Redis): name it.
    const tier = tags.length === 1 ? tags[0]![1] : undefined
    const cached = tier ? { ...repeats, label: `cached (${tier})` } : repeats
    return {
      target: base,
      floor,
      uncached,
      cached,
      speedup: uncached.totalS / cached.totalS,
      queries: first.queries,
      alreadyCached: first.alreadyCached,
    }
  } finally {
    probe.close()
  }
}
