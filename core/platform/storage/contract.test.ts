/**
 * The {@link MockupStorage} contract, the same cases against each backend: the
 * filesystem, and S3 on a local S3-compatible server (s3rver) started here.
 * What only one backend does is tested beside it (fs-storage.test.ts,
 * s3-storage.test.ts).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalS3, startLocalS3 } from '../../../tests/support/s3.ts'
import {
  createFsMockupStorage,
  createS3MockupStorage,
  type MockupStorage,
  StorageKeyError,
} from './index.ts'

let dir: string
let s3: LocalS3

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storage-contract-'))
  s3 = await startLocalS3()
})

afterAll(async () => {
  await s3?.close()
  await rm(dir, { recursive: true, force: true })
})

/**
 * Each backend, fresh per call (its own folder or prefix), so cases never share
 * objects; and whether its server here replaces objects atomically. S3 does (a
 * PUT is all or nothing), but s3rver writes an object's file in place, so a
 * reader there can see a half-written one: that case cannot be shown with it.
 */
const backends: [string, () => MockupStorage, { atomicServer: boolean }][] = [
  [
    'filesystem',
    () => createFsMockupStorage({ root: join(dir, randomUUID()) }),
    { atomicServer: true },
  ],
  [
    's3',
    () =>
      createS3MockupStorage({
        bucket: s3.bucket,
        prefix: `contract-${randomUUID()}`,
        endpoint: s3.endpoint,
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        urlTtlSeconds: 900,
      }),
    { atomicServer: false },
  ],
]

describe.each(backends)('MockupStorage contract: %s', (_name, create, { atomicServer }) => {
  it('Should return what was put, with its content type', async () => {
    const storage = create()
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    await storage.put('job-1/mockup.png', bytes, 'image/png')
    expect(await storage.get('job-1/mockup.png')).toEqual({ bytes, contentType: 'image/png' })
  })

  it('Should replace an object on a second put', async () => {
    const storage = create()
    await storage.put('job-1/mockup.webp', Buffer.from('old'), 'image/webp')
    await storage.put('job-1/mockup.webp', Buffer.from('new'), 'image/x-new')
    expect(await storage.get('job-1/mockup.webp')).toEqual({
      bytes: Buffer.from('new'),
      contentType: 'image/x-new',
    })
  })

  it('Should answer null for an unknown key', async () => {
    const storage = create()
    expect(await storage.get('nope/mockup.png')).toBeNull()
    await storage.put('job-2/mockup.png', Buffer.from('x'), 'image/png')
    expect(await storage.get('job-2/other.png')).toBeNull()
  })

  it('Should keep objects apart by key', async () => {
    const storage = create()
    await storage.put('a/mockup.png', Buffer.from('a'), 'image/png')
    await storage.put('b/mockup.png', Buffer.from('b'), 'image/png')
    expect((await storage.get('a/mockup.png'))?.bytes.toString()).toBe('a')
    expect((await storage.get('b/mockup.png'))?.bytes.toString()).toBe('b')
  })

  it.skipIf(!atomicServer)(
    'Should never show a reader part of an object while it is overwritten',
    async () => {
      const storage = create()
      const versions = [Buffer.alloc(2 << 20, 1), Buffer.alloc(3 << 20, 2)]
      await storage.put('job-4/mockup.png', versions[0]!, 'image/png')
      let writing = true
      const writer = (async () => {
        for (let i = 1; i <= 6; i++)
          await storage.put('job-4/mockup.png', versions[i % 2]!, 'image/png')
        writing = false
      })()
      let reads = 0
      while (writing) {
        const got = await storage.get('job-4/mockup.png')
        expect(versions.some((v) => got?.bytes.equals(v))).toBe(true)
        reads++
      }
      await writer
      expect(reads).toBeGreaterThan(0)
    },
  )

  it.each(['../x', '/etc/passwd', 'a/../../b', '.meta/x', 'a/..', 'a/b?x=1', 'a/%2e%2e'])(
    'Should refuse the key %j for every operation',
    async (key) => {
      const storage = create()
      await expect(storage.put(key, Buffer.from('evil'), 'text/plain')).rejects.toThrow(
        StorageKeyError,
      )
      await expect(storage.get(key)).rejects.toThrow(StorageKeyError)
      if (storage.url) await expect(storage.url(key)).rejects.toThrow(StorageKeyError)
    },
  )

  it('Should refuse a content type that could break a header', async () => {
    const storage = create()
    await expect(
      storage.put('job-5/a.png', Buffer.from('x'), 'image/png\r\nX-Evil: 1'),
    ).rejects.toThrow(TypeError)
    await expect(storage.put('job-5/a.png', Buffer.from('x'), '')).rejects.toThrow(TypeError)
    expect(await storage.get('job-5/a.png')).toBeNull()
  })

  it('Should publish an object at a URL that serves it, or not publish at all', async () => {
    const storage = create()
    if (!storage.url) {
      // Unpublished storage (the filesystem): core serves get's bytes itself.
      expect(storage.check).toBeUndefined()
      return
    }
    await storage.put('job-6/mockup.png', Buffer.from('published'), 'image/png')
    const published = await storage.url('job-6/mockup.png')
    const res = await fetch(published?.url ?? 'http://invalid.test/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('published')
    expect(await storage.url('job-6/unknown.png')).toBeNull()
  })
})
