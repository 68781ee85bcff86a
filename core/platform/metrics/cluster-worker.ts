/**
 * @module
 * Metrics across node:cluster: each worker answers the primary's request over
 * IPC with its registry as JSON, and the primary serves one aggregated
 * `/metrics`. prom-client's own `clusterMetrics()` asks every connected
 * worker and fails the whole scrape after 5 s when one cannot answer (a
 * worker still booting after a restart): this asks only the workers it is
 * given, with a deadline each, and aggregates those that answered.
 */
import type { Worker } from 'node:cluster'
import { AggregatorRegistry, type Registry } from 'prom-client'

const REQUEST = 'core:metrics-request'
const RESPONSE = 'core:metrics-response'

/** A registry's metrics as `getMetricsAsJSON` gives them. */
type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>

interface MetricsRequest {
  type: typeof REQUEST
  id: number
}

interface MetricsResponse {
  type: typeof RESPONSE
  id: number
  metrics?: MetricsJson
}

const isRequest = (message: unknown): message is MetricsRequest =>
  (message as MetricsRequest | null)?.type === REQUEST

/** In a worker: answers the primary's metrics requests with `registry`. */
export function exposeToPrimary(registry: Registry): void {
  process.on('message', (message: unknown) => {
    if (!isRequest(message)) return
    const reply = (metrics?: MetricsJson) =>
      process.send?.({ type: RESPONSE, id: message.id, metrics } satisfies MetricsResponse)
    registry.getMetricsAsJSON().then(reply, () => reply())
  })
}

let nextRequestId = 0

/** One worker's metrics, or undefined when it does not answer within `timeoutMs`. */
function askWorker(worker: Worker, timeoutMs: number): Promise<MetricsJson | undefined> {
  const id = nextRequestId++
  return new Promise((resolve) => {
    const finish = (metrics?: MetricsJson) => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      resolve(metrics)
    }
    const onMessage = (message: MetricsResponse) => {
      if (message?.type === RESPONSE && message.id === id) finish(message.metrics)
    }
    const timer = setTimeout(() => finish(), timeoutMs)
    worker.on('message', onMessage)
    try {
      worker.send({ type: REQUEST, id } satisfies MetricsRequest)
    } catch {
      // The channel closed under us: the worker is going away.
      finish()
    }
  })
}

/** What {@link workersMetrics} returns: the aggregate and how many workers it covers. */
export interface WorkersMetrics {
  registry: Registry
  answered: number
}

/**
 * In the primary: asks `workers` for their metrics at once and aggregates
 * those that answered within `timeoutMs` (each metric with its own aggregator).
 */
export async function workersMetrics(
  workers: readonly Worker[],
  timeoutMs = 2000,
): Promise<WorkersMetrics> {
  const answers = await Promise.all(workers.map((worker) => askWorker(worker, timeoutMs)))
  const answered = answers.filter((a): a is MetricsJson => a !== undefined)
  return { registry: AggregatorRegistry.aggregate(answered), answered: answered.length }
}
