/**
 * What only the S3 backend does, against a local S3-compatible server (s3rver)
 * started here: object headers and prefixes, presigned and CDN URLs, the
 * settings that select it, and a bucket that is missing, cut off or stalled.
 * The contract every backend keeps is in contract.test.ts.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalS3, startLocalS3 } from '../../../tests/support/s3.ts'
import { startTcpProxy } from '../../../tests/support/tcp-proxy.ts'
import { ConfigError, loadConfig } from '../config/index.ts'
import { isDatabaseUnavailable } from '../db/unavailable.ts'
import {
  createMockupStorage,
  createS3MockupStorage,
  type S3MockupStorageOptions,
  STORED_OBJECT_CACHE_CONTROL,
  StorageUnavailableError,
} from './index.ts'

let s3: LocalS3

beforeAll(async () => {
  s3 = await startLocalS3()
})

afterAll(async () => {
  await s3?.close()
})

/** A storage on the local server under a fresh prefix; `overrides` win. */
function storageWith(overrides: Partial<S3MockupStorageOptions> = {}) {
  const prefix = `s3-${randomUUID()}`
  const options: S3MockupStorageOptions = {
    bucket: s3.bucket,
    prefix,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    urlTtlSeconds: 900,
    ...overrides,
  }
  return { storage: createS3MockupStorage(options), prefix: options.prefix }
}

/** An object as the server holds it, fetched without the client (s3rver serves unsigned GETs). */
const raw = (path: string) => fetch(`${s3.endpoint}/${s3.bucket}/${path}`)

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7])

describe('createS3MockupStorage', () => {
  it('Should put the object under the prefix, with its content type and an immutable cache', async () => {
    const { storage, prefix } = storageWith()
    await storage.put('id-1/mockup.png', PNG, 'image/png')
    const res = await raw(`${prefix}/id-1/mockup.png`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    expect(res.headers.get('Cache-Control')).toBe(STORED_OBJECT_CACHE_CONTROL)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
  })

  it('Should put objects at the bucket root without a prefix', async () => {
    const { storage } = storageWith({ prefix: '' })
    const key = `${randomUUID()}/mockup.png`
    await storage.put(key, PNG, 'image/png')
    expect((await raw(key)).status).toBe(200)
  })

  it('Should hand out a presigned URL valid for the TTL that serves the object', async () => {
    const { storage } = storageWith({ urlTtlSeconds: 600 })
    await storage.put('id-2/mockup.png', PNG, 'image/png')
    const published = await storage.url?.('id-2/mockup.png')
    expect(published?.expiresInSeconds).toBe(600)
    const url = new URL(published?.url ?? '')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600')
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/us-east-1\/s3\//)
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
  })

  it('Should hand out presigned URLs that stop working once the TTL has passed', async () => {
    const ttl = 900
    // URLs signed at a past moment: one still inside its TTL now, one past it.
    const signedAgo = (seconds: number) =>
      storageWith({ urlTtlSeconds: ttl, now: () => Date.now() - seconds * 1000 })
    const { storage: fresh, prefix } = signedAgo(ttl - 120)
    const stale = storageWith({
      prefix,
      urlTtlSeconds: ttl,
      now: () => Date.now() - (ttl + 120) * 1000,
    })
    await fresh.put('id-3/mockup.png', PNG, 'image/png')

    const valid = await fetch((await fresh.url?.('id-3/mockup.png'))?.url ?? '')
    expect(valid.status).toBe(200)
    const expired = await fetch((await stale.storage.url?.('id-3/mockup.png'))?.url ?? '')
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('Request has expired')
  })

  it('Should carry a session token into presigned URLs', async () => {
    const { storage } = storageWith({ sessionToken: 'session-token-1' })
    await storage.put('id-4/mockup.png', PNG, 'image/png')
    const url = new URL((await storage.url?.('id-4/mockup.png'))?.url ?? '')
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session-token-1')
  })

  it('Should hand out the CDN URL of the object key when a public base URL is set', async () => {
    const { storage, prefix } = storageWith({ publicBaseUrl: 'https://cdn.example.com/images/' })
    await storage.put('id-5/mockup.webp', PNG, 'image/webp')
    expect(await storage.url?.('id-5/mockup.webp')).toEqual({
      url: `https://cdn.example.com/images/${prefix}/id-5/mockup.webp`,
      expiresInSeconds: null,
    })
    expect(await storage.url?.('id-5/unknown.webp')).toBeNull()
  })

  it('Should pass its readiness check while the bucket answers', async () => {
    await expect(storageWith().storage.check?.()).resolves.toBeUndefined()
  })
})

describe('createS3MockupStorage when the bucket is not there', () => {
  it('Should fail every call with StorageUnavailableError for a missing bucket', async () => {
    const { storage } = storageWith({ bucket: 'no-such-bucket' })
    await expect(storage.put('id/mockup.png', PNG, 'image/png')).rejects.toThrow(/NoSuchBucket/)
    await expect(storage.get('id/mockup.png')).rejects.toThrow(StorageUnavailableError)
    await expect(storage.check?.()).rejects.toThrow(StorageUnavailableError)
  })

  it('Should fail every call with StorageUnavailableError while the server is cut off, then recover', async () => {
    const proxy = await startTcpProxy(s3.port)
    try {
      const { storage } = storageWith({ endpoint: proxy.url('http') })
      await storage.put('id/mockup.png', PNG, 'image/png')
      proxy.cut()
      const putError = await storage.put('id/mockup.png', PNG, 'image/png').catch((e) => e)
      expect(putError).toBeInstanceOf(StorageUnavailableError)
      // The job's own retryable failure, not a lost database for the queue's outage guard.
      expect(isDatabaseUnavailable(putError)).toBe(false)
      await expect(storage.get('id/mockup.png')).rejects.toThrow(StorageUnavailableError)
      await expect(storage.url?.('id/mockup.png')).rejects.toThrow(StorageUnavailableError)
      await expect(storage.check?.()).rejects.toThrow(StorageUnavailableError)
      proxy.resume()
      expect((await storage.get('id/mockup.png'))?.bytes).toEqual(PNG)
    } finally {
      await proxy.close()
    }
  })

  it('Should give up on a server that stops answering, with StorageUnavailableError', async () => {
    const proxy = await startTcpProxy(s3.port)
    try {
      const { storage } = storageWith({ endpoint: proxy.url('http'), timeoutMs: 200 })
      proxy.stall()
      await expect(storage.put('id/mockup.png', PNG, 'image/png')).rejects.toThrow(
        StorageUnavailableError,
      )
      await expect(storage.check?.()).rejects.toThrow(StorageUnavailableError)
    } finally {
      proxy.resume()
      await proxy.close()
    }
  })
})

describe('createMockupStorage with MOCKUP_STORAGE_URL', () => {
  it('Should store in the bucket under the URL prefix', async () => {
    const prefix = `config-${randomUUID()}`
    const storage = createMockupStorage(loadConfig(s3.env(prefix)))
    await storage.put('id-6/mockup.png', PNG, 'image/png')
    expect((await raw(`${prefix}/id-6/mockup.png`)).status).toBe(200)
    expect(await storage.url?.('id-6/mockup.png')).toMatchObject({ expiresInSeconds: 900 })
  })

  it('Should read the S3 settings with their defaults', () => {
    const config = loadConfig({ ...s3.env(), MOCKUP_STORAGE_ENDPOINT: undefined })
    expect(config).toMatchObject({
      MOCKUP_STORAGE_REGION: 'us-east-1',
      MOCKUP_URL_TTL_SECONDS: 900,
    })
    expect(config.MOCKUP_PUBLIC_BASE_URL).toBeUndefined()
  })

  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env)
    } catch (err) {
      if (err instanceof ConfigError) return err.problems
      throw err
    }
    return []
  }

  it('Should name each missing credential when a bucket is set', () => {
    expect(problemsOf({ MOCKUP_STORAGE_URL: 's3://mockups' })).toEqual([
      'AWS_ACCESS_KEY_ID: required when MOCKUP_STORAGE_URL is set',
      'AWS_SECRET_ACCESS_KEY: required when MOCKUP_STORAGE_URL is set',
    ])
    expect(problemsOf({ AWS_ACCESS_KEY_ID: 'a' })).toEqual([])
  })

  it.each([
    ['MOCKUP_STORAGE_URL', 'mockups'],
    ['MOCKUP_STORAGE_URL', 's3://mockups/../x'],
    ['MOCKUP_STORAGE_ENDPOINT', 'ftp://minio:9000'],
    ['MOCKUP_STORAGE_REGION', 'US East'],
    ['MOCKUP_PUBLIC_BASE_URL', 'cdn.example.com'],
    ['MOCKUP_URL_TTL_SECONDS', '0'],
    ['MOCKUP_URL_TTL_SECONDS', '604801'],
  ])('Should refuse %s=%j naming it', (name, value) => {
    const problems = problemsOf({ ...s3.env(), [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`^${name}: `))
  })
})
