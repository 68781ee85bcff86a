/**
 * @module
 * The mock-up API on core. `POST /mockups` records the job and queues it
 * (202 with its id; 503 when Redis cannot take it, and then no row is left);
 * `GET /mockups/:id` and `GET /mockups` show status, progress and image URLs
 * (API key: prompts are the customer's data); `GET /mockups/:id/image.{png,webp}`
 * serves the images, public and cacheable for a year (a mock-up never changes).
 */
import { randomInt, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ApiError } from '../../edge/errors/index.ts'
import { validate } from '../../edge/validation/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { jsonBody } from '../http/json-body.ts'
import {
  MOCKUP_DEFAULTS,
  MOCKUP_LIMITS,
  type MockupRecord,
  type MockupRecords,
  mockupRequestSchema,
} from '../platform/mockups/index.ts'
import {
  type MockupJob,
  type QueueProducer,
  QueueUnavailableError,
} from '../platform/queue/index.ts'
import type { MockupStorage } from '../platform/storage/index.ts'

/** The producer of `mockups` jobs. */
export type MockupQueue = QueueProducer<MockupJob, unknown>

/** Options of {@link mockupRoutes}; an undefined dependency makes its routes answer 503. */
export interface MockupRoutesOptions {
  records: MockupRecords | undefined
  queue: MockupQueue | undefined
  storage: MockupStorage
}

const idInput = z.object({ id: z.uuid({ error: 'must be a mock-up id (a UUID)' }) })
const listInput = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int({ error: 'must be a whole number from 1 to 100' })
    .min(1, { error: 'must be a whole number from 1 to 100' })
    .max(100, { error: 'must be a whole number from 1 to 100' })
    .default(20),
  cursor: z
    .string()
    .regex(/^[0-9TZ:.+-]{20,40}_[0-9a-f-]{36}$/, { error: 'is not a cursor this API returned' })
    .optional(),
})

const IMAGE_TYPES = { png: 'image/png', webp: 'image/webp' } as const

function present(m: MockupRecord, progress: number) {
  const done = m.status === 'completed'
  return {
    id: m.id,
    status: m.status,
    progress: done ? 100 : progress,
    prompt: m.prompt,
    product: m.product,
    seed: m.seed,
    steps: m.steps,
    width: m.width,
    height: m.height,
    provider: m.provider,
    timings: m.timings,
    images: done
      ? { png: `/mockups/${m.id}/image.png`, webp: `/mockups/${m.id}/image.webp` }
      : null,
    error: m.error,
    attempts: m.attempts,
    createdAt: m.createdAt,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
  }
}

/** The mock-up routes. */
export function mockupRoutes(options: MockupRoutesOptions): CoreRoutes {
  const unavailable = (what: string) =>
    new ApiError(503, 'unavailable', `${what} is unavailable; retry later`, undefined, {
      'Retry-After': '5',
    })
  const records = () => {
    if (!options.records) throw unavailable('The mock-up database')
    return options.records
  }
  const queue = () => {
    if (!options.queue) throw unavailable('The mock-up queue')
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
      const request = validate(mockupRequestSchema, await jsonBody(c))
      const rows = records()
      const producer = queue()
      const job: MockupJob = {
        mockupId: randomUUID(),
        prompt: request.prompt,
        product: request.product,
        seed: request.seed ?? randomInt(0, MOCKUP_LIMITS.maxSeed),
        steps: request.steps ?? MOCKUP_DEFAULTS.steps,
        width: request.width ?? MOCKUP_DEFAULTS.width,
        height: request.height ?? MOCKUP_DEFAULTS.height,
      }
      await rows.insert({ id: job.mockupId, ...job, submittedBy: c.get('apiKeyName') })
      try {
        await producer.add('mockup', job, { jobId: job.mockupId })
      } catch (err) {
        // The client is told it failed, so no row may claim the job exists.
        await rows.deleteQueued(job.mockupId)
        if (err instanceof QueueUnavailableError) throw unavailable('The mock-up queue')
        throw err
      }
      c.header('Location', `/mockups/${job.mockupId}`)
      return c.json({ id: job.mockupId, status: 'queued', seed: job.seed, steps: job.steps }, 202)
    })

    app.get('/mockups', requireKey, async (c) => {
      const { limit, cursor } = validate(listInput, c.req.query())
      const [createdAt, id] = cursor ? cursor.split('_') : []
      const page = await records().page(limit + 1, createdAt && id ? { createdAt, id } : undefined)
      const items = page.slice(0, limit)
      const last = items.at(-1)
      c.header('Cache-Control', 'private, no-cache')
      return c.json({
        items: await Promise.all(items.map(async (m) => present(m, await progressOf(m)))),
        nextCursor: page.length > limit && last ? `${last.createdAt}_${last.id}` : null,
      })
    })

    app.get('/mockups/:id', requireKey, async (c) => {
      const { id } = validate(idInput, c.req.param())
      const mockup = await records().get(id)
      if (!mockup) throw new ApiError(404, 'not_found', `mock-up ${id} does not exist`)
      c.header('Cache-Control', 'private, no-cache')
      return c.json(present(mockup, await progressOf(mockup)))
    })

    // One param per segment: Hono's TrieRouter (taken once the admin board's routes are
    // added) never matches `image.:format`, a literal and a param in one segment.
    app.get('/mockups/:id/:file{image\\.(?:png|webp)}', async (c) => {
      const { id } = validate(idInput, { id: c.req.param('id') })
      const format = c.req.param('file').slice('image.'.length) as keyof typeof IMAGE_TYPES
      const mockup = await records().get(id)
      const key = format === 'png' ? mockup?.pngKey : mockup?.webpKey
      // The key comes from the row, never from the request: no path is user input.
      const image = key ? await options.storage.get(key) : null
      if (!image) throw new ApiError(404, 'not_found', `mock-up ${id} has no ${format} image`)
      c.header('Content-Type', IMAGE_TYPES[format])
      c.header('Cache-Control', 'public, max-age=31536000, immutable')
      return c.body(new Uint8Array(image.bytes))
    })
  }
}
