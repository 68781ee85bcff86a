import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
/**
 * What only the filesystem backend does: its folders, temp files and metadata.
 * The contract every backend keeps is in contract.test.ts.
 */
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
})

describe('createMockupStorage', () => {
  it('Should store under MOCKUP_STORAGE_DIR', async () => {
    const fromConfig = createMockupStorage(loadConfig({ MOCKUP_STORAGE_DIR: root }))
    await fromConfig.put('job-6/mockup.png', Buffer.from('png'), 'image/png')
    expect(await readdir(join(root, 'job-6'))).toEqual(['mockup.png'])
    expect((await storage.get('job-6/mockup.png'))?.bytes.toString()).toBe('png')
  })
})
