import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.ts'
import {
  createFsMockupStorage,
  createMockupStorage,
  type MockupStorage,
  StorageKeyError,
} from './index.ts'

let dir: string
let root: string
let storage: MockupStorage

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockup-storage-'))
  root = join(dir, 'root')
  storage = createFsMockupStorage({ root })
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('createFsMockupStorage', () => {
  it('Should return what was put, with its content type', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    await storage.put('job-1/mockup.png', bytes, 'image/png')
    expect(await storage.get('job-1/mockup.png')).toEqual({ bytes, contentType: 'image/png' })
  })

  it('Should replace an object on a second put', async () => {
    await storage.put('job-1/mockup.webp', Buffer.from('old'), 'image/webp')
    await storage.put('job-1/mockup.webp', Buffer.from('new'), 'image/x-new')
    expect(await storage.get('job-1/mockup.webp')).toEqual({
      bytes: Buffer.from('new'),
      contentType: 'image/x-new',
    })
  })

  it('Should answer null for an unknown key, and for a key that is a folder', async () => {
    expect(await storage.get('nope/mockup.png')).toBeNull()
    await storage.put('job-2/mockup.png', Buffer.from('x'), 'image/png')
    expect(await storage.get('job-2')).toBeNull()
    expect(await storage.get('job-2/mockup.png/deeper')).toBeNull()
  })

  it('Should leave only the object in its folder and no temp files', async () => {
    await storage.put('job-3/mockup.png', Buffer.alloc(1000, 7), 'image/png')
    await storage.put('job-3/mockup.webp', Buffer.alloc(500, 8), 'image/webp')
    expect((await readdir(join(root, 'job-3'))).sort()).toEqual(['mockup.png', 'mockup.webp'])
    expect(await readdir(join(root, '.tmp'))).toEqual([])
  })

  it('Should never show a reader part of an object while it is overwritten', async () => {
    const versions = [Buffer.alloc(2 << 20, 1), Buffer.alloc(3 << 20, 2)]
    await storage.put('job-4/mockup.png', versions[0]!, 'image/png')
    let writing = true
    const writer = (async () => {
      for (let i = 1; i <= 8; i++)
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
  })

  it('Should remove its temp file when the rename fails', async () => {
    await storage.put('taken/inner.png', Buffer.from('x'), 'image/png')
    // `taken` is a non-empty folder, so renaming a file over it fails.
    await expect(storage.put('taken', Buffer.from('y'), 'image/png')).rejects.toThrow()
    expect(await readdir(join(root, '.tmp'))).toEqual([])
  })

  it.each(['../x', '/etc/passwd', 'a/../../b', '.meta/x', 'a/..'])(
    'Should refuse the key %j for put and get, writing nothing',
    async (key) => {
      await expect(storage.put(key, Buffer.from('evil'), 'text/plain')).rejects.toThrow(
        StorageKeyError,
      )
      await expect(storage.get(key)).rejects.toThrow(StorageKeyError)
      expect(await readdir(dir)).toEqual([])
    },
  )

  it('Should refuse a content type that could break a header', async () => {
    await expect(
      storage.put('job-5/a.png', Buffer.from('x'), 'image/png\r\nX-Evil: 1'),
    ).rejects.toThrow(TypeError)
    await expect(storage.put('job-5/a.png', Buffer.from('x'), '')).rejects.toThrow(TypeError)
  })
})

describe('createMockupStorage', () => {
  it('Should store under MOCKUP_STORAGE_DIR', async () => {
    const fromConfig = createMockupStorage(loadConfig({ MOCKUP_STORAGE_DIR: root }))
    await fromConfig.put('job-6/mockup.png', Buffer.from('png'), 'image/png')
    expect(await readdir(join(root, 'job-6'))).toEqual(['mockup.png'])
    expect((await storage.get('job-6/mockup.png'))?.bytes.toString()).toBe('png')
  })
})
