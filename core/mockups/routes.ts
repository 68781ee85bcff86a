/**
 * @module
 * The mock-up API on core. `POST /mockups` records the job and queues it
 * (202 with its id; 503 when Redis cannot take it, and then no row is left);
 * `GET /mockups/:id` and `GET /mockups` show status, progress and image URLs
 * (API key: prompts are the customer's data) of the caller's tenant only
 * (another tenant's id is a 404; admins see all); `GET /mockups/:id/image.{png,webp}`
 * serves the images, public and cacheable for a year (a mock-up never changes;
 * its random UUID is the capability, as the CDN caches images without a key),
 * or redirects (302) to them where the storage is published (S3: a CDN or a
 * presigned URL); a storage that is down is a 503.
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
import { type AccessPolicy, createAccessPolicy, tenantScope } from '../access/index.ts'
import type { CoreRoutes } from '../http/app.ts'
import { jsonBody } from '../http/json-body.ts'
import type { MockupRecords } from '../platform/mockups/index.ts'
import type { MockupJob, QueueProducer } from '../platform/queue/index.ts'
import {
  type MockupStorage,
  redirectCacheControl,
  StorageUnavailableError,
} from '../platform/storage/index.ts'

/** The producer of `mockups` jobs. */
export type MockupQueue = QueueProducer<MockupJob, unknown>

/** Options of {@link mockupRoutes}; an undefined dependency makes its routes answer 503. */
export interface MockupRoutesOptions {
  records: MockupRecords | undefined
  queue: MockupQueue | undefined
  storage: MockupStorage
  /** Tenants and admins. @defaultValue every key its own tenant, no admins */
  access?: AccessPolicy
}

const IMAGE_TYPES = { png: 'image/png', webp: 'image/webp' } as const

/** Runs a storage call; a backend that is down becomes a 503 (`storage_unavailable`). */
async function fromStorage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err
    // The backend's message names the bucket: logged through the cause, not shown.
    throw new DependencyUnavailableError('storage', 'The mock-up image storage is not answering', {
      cause: err,
    })
  }
}

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

  const access = options.access ?? createAccessPolicy({ keys: [] })

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
      const caller = access.caller(c)
      await rows.insert({ ...params, id: mockupId, submittedBy: caller.key, tenant: caller.tenant })
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
      const page = await records().page(
        limit + 1,
        createdAt && id ? { createdAt, id } : undefined,
        tenantScope(access.caller(c)),
      )
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
      // Another tenant's id is as absent as an unknown one.
      const mockup = await records().get(id, tenantScope(access.caller(c)))
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
      const missing = () =>
        new ApiError(404, MOCKUP_ERRORS.notFound, `mock-up ${id} has no ${format} image`)
      if (!key) throw missing()
      // The key comes from the row, never from the request: no path is user input.
      const { storage } = options
      const image = await fromStorage(async () => {
        // Published storage (S3): the client takes the bytes from the CDN or a presigned URL.
        if (storage.url) return { published: await storage.url(key) }
        return { stored: await storage.get(key) }
      })
      if ('published' in image) {
        if (!image.published) throw missing()
        c.header('Cache-Control', redirectCacheControl(image.published))
        return c.redirect(image.published.url, 302)
      }
      if (!image.stored) throw missing()
      c.header('Content-Type', IMAGE_TYPES[format])
      c.header('Cache-Control', 'public, max-age=31536000, immutable')
      return c.body(new Uint8Array(image.stored.bytes))
    })
  }
}
