/**
 * @module
 * {@link MockupStorage} in an S3-compatible bucket (AWS S3, Cloudflare R2,
 * MinIO), signed with SigV4 by aws4fetch (fetch-based, so it runs wherever
 * fetch does). A PUT of one object is atomic on S3: readers see the old object
 * or the new one. Objects are published either under a CDN in front of the
 * bucket (`publicBaseUrl`) or as presigned GET URLs.
 *
 * Every request has a deadline and no retries of its own: a failed write is
 * retried by the queue, a failed read by the client (503).
 */
import { AwsClient } from 'aws4fetch'
import { assertContentType } from './content-type.ts'
import { StorageUnavailableError } from './errors.ts'
import { storageKeySegments } from './key.ts'
import { bucketUrl, objectKey, objectUrl, type S3Location } from './s3-location.ts'
import type { MockupStorage, PublishedObject, StoredObject } from './types.ts'

/** Options of {@link createS3MockupStorage}. */
export interface S3MockupStorageOptions extends S3Location {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string | undefined
  /** Objects' public URLs are `<publicBaseUrl>/<object key>` (a CDN); unset: presigned URLs. */
  publicBaseUrl?: string | undefined
  /** How long a presigned URL is valid, in seconds (at most 7 days, SigV4's limit). */
  urlTtlSeconds: number
  /** Deadline of one request to the bucket, in ms. @defaultValue 5000 */
  timeoutMs?: number
  /** The clock presigned URLs are dated by, in ms since the epoch. @defaultValue `Date.now` */
  now?: () => number
}

/**
 * Cache-Control of stored objects: a key is never reused for other bytes (a
 * mock-up's id is unique), so caches may keep them for a year.
 */
export const STORED_OBJECT_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/** SigV4's timestamp format, `YYYYMMDD'T'HHMMSS'Z'`. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '')
}

/**
 * A network failure in one line, with its root cause (`fetch failed: connect
 * ECONNREFUSED 127.0.0.1:9000`). Told in the message rather than kept as
 * `cause`: the queue's outage guard reads socket error codes anywhere in a
 * cause chain as a lost database (pausing without spending attempts), while a
 * bucket that is down is the job's own retryable failure (`storage_failed`).
 */
function describeFailure(err: unknown): string {
  const parts: string[] = []
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    parts.push(e.message)
  return parts.join(': ') || String(err)
}

/** S3's error code in an XML error body (`<Code>NoSuchBucket</Code>`), if any. */
async function s3ErrorCode(res: Response): Promise<string> {
  const body = await res.text().catch(() => '')
  return /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(body)?.[1] ?? 'no error code'
}

/**
 * An S3-backed {@link MockupStorage}.
 * @example
 * const storage = createS3MockupStorage({
 *   bucket: 'mockups', prefix: 'prod', region: 'auto', endpoint: 'https://<account>.r2.cloudflarestorage.com',
 *   accessKeyId, secretAccessKey, urlTtlSeconds: 900,
 * })
 * await storage.put(`${jobId}/mockup.png`, mockup.png, 'image/png')
 * await storage.url?.(`${jobId}/mockup.png`) // { url: 'https://…?X-Amz-Signature=…', expiresInSeconds: 900 }
 */
export function createS3MockupStorage(options: S3MockupStorageOptions): MockupStorage {
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    service: 's3',
    region: options.region,
  })
  const timeoutMs = options.timeoutMs ?? 5000
  const now = options.now ?? Date.now
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '')

  /** The object's URL, after checking the key against the grammar. */
  const urlOf = (key: string) => {
    storageKeySegments(key)
    return objectUrl(options, key)
  }
  /** Where a failure is told: the bucket and key, never a signed URL. */
  const what = (method: string, key?: string) =>
    `S3 ${method} of ${options.bucket}/${key ? objectKey(options, key) : ''}`

  /** A signed request with a deadline; a network failure or timeout is StorageUnavailableError. */
  const send = async (url: URL, init: RequestInit, label: string): Promise<Response> => {
    try {
      const request = await client.sign(url, init)
      return await fetch(request, { signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      throw new StorageUnavailableError(`${label} failed: ${describeFailure(err)}`)
    }
  }
  const failed = async (res: Response, label: string) =>
    new StorageUnavailableError(`${label} answered ${res.status} (${await s3ErrorCode(res)})`)

  const presign = async (url: URL): Promise<string> => {
    url.searchParams.set('X-Amz-Expires', String(options.urlTtlSeconds))
    const signed = await client.sign(url, {
      method: 'GET',
      aws: { signQuery: true, datetime: amzDate(now()) },
    })
    return signed.url
  }

  return {
    async put(key, bytes, contentType) {
      const url = urlOf(key)
      assertContentType(contentType)
      const label = what('PUT', key)
      const res = await send(
        url,
        {
          method: 'PUT',
          body: bytes,
          headers: {
            'Content-Type': contentType,
            'Cache-Control': STORED_OBJECT_CACHE_CONTROL,
          },
        },
        label,
      )
      if (!res.ok) throw await failed(res, label)
      await res.body?.cancel()
    },

    async get(key): Promise<StoredObject | null> {
      const url = urlOf(key)
      const label = what('GET', key)
      const res = await send(url, { method: 'GET' }, label)
      if (res.status === 404) {
        // A missing bucket is a broken setup, not a missing image.
        const code = await s3ErrorCode(res)
        if (code === 'NoSuchBucket')
          throw new StorageUnavailableError(`${label} answered 404 (${code})`)
        return null
      }
      if (!res.ok) throw await failed(res, label)
      // The deadline covers the body too: a stall midway is the backend's failure.
      const bytes = await res.arrayBuffer().catch((err: unknown) => {
        throw new StorageUnavailableError(`${label} failed reading: ${describeFailure(err)}`)
      })
      return {
        bytes: Buffer.from(bytes),
        contentType: res.headers.get('Content-Type') ?? 'application/octet-stream',
      }
    },

    async url(key): Promise<PublishedObject | null> {
      const url = urlOf(key)
      // A HEAD first: an unknown key is a 404 here, and a bucket that is down a 503,
      // rather than a URL that fails in the client's hands.
      const label = what('HEAD', key)
      const res = await send(url, { method: 'HEAD' }, label)
      if (res.status === 404) return null
      if (!res.ok) throw await failed(res, label)
      if (publicBase)
        return { url: `${publicBase}/${objectKey(options, key)}`, expiresInSeconds: null }
      return { url: await presign(url), expiresInSeconds: options.urlTtlSeconds }
    },

    async check() {
      const label = `S3 HEAD of bucket ${options.bucket}`
      const res = await send(bucketUrl(options), { method: 'HEAD' }, label)
      if (!res.ok) throw new StorageUnavailableError(`${label} answered ${res.status}`)
    },
  }
}
