/**
 * @module
 * The mock-up API on core. `POST /mockups` records the job and queues it
 * (202 with its id; 503 when Redis cannot take it, and then no row is left);
 * `GET /mockups/:id` and `GET /mockups` show status, progress and image URLs
 * (API key: prompts are the customer's data); `GET /mockups/:id/image.{png,webp}`
 * serves the images, public and cacheable for a year (a mock-up never changes).
 */
import { randomInt, randomUUID } from 'node:crypto'
import {
  MOCKUP_ERRORS,
  type MockupRecord,
  mockupContract,
  toMockupView,
} from '../../edge/contracts/mockups.ts'
import { ApiError, DependencyUnavailableError } from '../../edge/errors/index.ts'
import { validate } from '../../edge/validation/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { jsonBody } from '../http/json-body.ts'
import type { MockupRecords } from '../platform/mockups/index.ts'
import type { MockupJob, QueueProducer } from '../platform/queue/index.ts'
import type { MockupStorage } from '../platform/storage/index.ts'

/** The producer of `mockups` jobs. */
export type MockupQueue = QueueProducer<MockupJob, unknown>

/** Options of {@link mockupRoutes}; an undefined dependency makes its routes answer 503. */
export interface MockupRoutesOptions {
  records: MockupRecords | undefined
  queue: MockupQueue | undefined
  storage: MockupStorage
}

const IMAGE_TYPES = { png: 'image/png', webp: 'image/webp' } as const

/** The mock-up routes. */
export function mockupRoutes(options: MockupRoutesOptions): CoreRoutes {
  const records = () => {
    if (!options.records)
      throw new DependencyUnavailableError('database', 'The mock-up database is not configured')
    return options.records
  }
  const queue = () => {
    if (!options.queue)
      throw new DependencyUnavailableError('queue', 'The mock-up queue is not configured')
    return options.queue
  }
  /** Progress of a running job from BullMQ; 0 when unknown (never fails the request). */
  const progressOf = async (m: MockupRecord): Promise<number> => {
    if (m.status !== 'running' || !options.queue) return 0
    const job = await options.queue.getJob(m.id).catch(() => undefined)
    return typeof job?.progress === 'number' ? job.progress : 0
  }

  return (app, requireKey) => {
    app.post('/mockups', requireKey, async (c) => {
      const request = validate(mockupContract.request, await jsonBody(c))
      const rows = records()
      const producer = queue()
      // Every default resolved here: the job and its row say exactly what is generated.
      const job: MockupJob = {
        ...mockupContract.defaults,
        ...request,
        seed: request.seed ?? randomInt(0, mockupContract.limits.maxSeed),
        mockupId: randomUUID(),
      }
      const { mockupId, ...params } = job
      await rows.insert({ ...params, id: mockupId, submittedBy: c.get('apiKeyName') })
      try {
        await producer.add('mockup', job, { jobId: mockupId })
      } catch (err) {
        // The client is told it failed, so no row may claim the job exists.
        await rows.deleteQueued(mockupId)
        throw err
      }
      c.header('Location', `/mockups/${job.mockupId}`)
      return c.json({ id: job.mockupId, status: 'queued', seed: job.seed, steps: job.steps }, 202)
    })

    app.get('/mockups', requireKey, async (c) => {
      const { limit, cursor } = validate(mockupContract.listQuery, c.req.query())
      const [createdAt, id] = cursor ? cursor.split('_') : []
      const page = await records().page(limit + 1, createdAt && id ? { createdAt, id } : undefined)
      const items = page.slice(0, limit)
      const last = items.at(-1)
      c.header('Cache-Control', 'private, no-cache')
      return c.json({
        items: await Promise.all(items.map(async (m) => toMockupView(m, await progressOf(m)))),
        nextCursor: page.length > limit && last ? `${last.createdAt}_${last.id}` : null,
      })
    })

    app.get('/mockups/:id', requireKey, async (c) => {
      const { id } = validate(mockupContract.idParam, c.req.param())
      const mockup = await records().get(id)
      if (!mockup) throw new ApiError(404, MOCKUP_ERRORS.notFound, `mock-up ${id} does not exist`)
      c.header('Cache-Control', 'private, no-cache')
      return c.json(toMockupView(mockup, await progressOf(mockup)))
    })

    // One param per segment: Hono's TrieRouter (taken once the admin board's routes are
    // added) never matches `image.:format`, a literal and a param in one segment.
    app.get('/mockups/:id/:file{image\\.(?:png|webp)}', async (c) => {
      const { id } = validate(mockupContract.idParam, { id: c.req.param('id') })
      const format = c.req.param('file').slice('image.'.length) as keyof typeof IMAGE_TYPES
      const mockup = await records().get(id)
      const key = format === 'png' ? mockup?.pngKey : mockup?.webpKey
      // The key comes from the row, never from the request: no path is user input.
      const image = key ? await options.storage.get(key) : null
      if (!image)
        throw new ApiError(404, MOCKUP_ERRORS.notFound, `mock-up ${id} has no ${format} image`)
      c.header('Content-Type', IMAGE_TYPES[format])
      c.header('Cache-Control', 'public, max-age=31536000, immutable')
      return c.body(new Uint8Array(image.bytes))
    })
  }
}
