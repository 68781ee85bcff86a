/**
 * @module
 * {@link MockupStorage} on a local folder. An object is a plain file at
 * `<root>/<key>`, so a static server or CDN origin can serve the folder as is;
 * its content type sits beside it in `<root>/.meta/<key>.json`. Writes go to
 * `<root>/.tmp/` and are renamed into place, which is atomic on one filesystem:
 * a reader sees the old file or the new one, never a partial one. Keys cannot
 * start with a dot, so `.meta` and `.tmp` are out of every key's reach.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { assertContentType } from './content-type.ts'
import { storageKeySegments } from './key.ts'
import type { MockupStorage, StoredObject } from './types.ts'

/** Options of {@link createFsMockupStorage}. */
export interface FsMockupStorageOptions {
  /** The folder objects live in (`MOCKUP_STORAGE_DIR`, default `.data/mockups`); created as needed. */
  root: string
}

const META_DIR = '.meta'
const TMP_DIR = '.tmp'
/** For files that arrived without metadata (copied in by hand). */
const FALLBACK_CONTENT_TYPE = 'application/octet-stream'

/** Error codes that mean "no object under this key" (a parent is a file, or the key is a folder). */
const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR'])

function isMissing(err: unknown): boolean {
  return MISSING_CODES.has((err as NodeJS.ErrnoException).code ?? '')
}

/** Writes bytes to a temp file, flushes it, then renames it over `target`. */
async function writeAtomic(tmpDir: string, target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true })
  const tmp = join(tmpDir, `${randomUUID()}.part`)
  try {
    const handle = await open(tmp, 'wx')
    try {
      await handle.writeFile(bytes)
      // Flushed before the rename, so a crash cannot leave a renamed but empty file.
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

async function readContentType(metaFile: string): Promise<string> {
  try {
    const { contentType } = JSON.parse(await readFile(metaFile, 'utf8')) as {
      contentType?: unknown
    }
    return typeof contentType === 'string' ? contentType : FALLBACK_CONTENT_TYPE
  } catch (err) {
    if (isMissing(err)) return FALLBACK_CONTENT_TYPE
    throw err
  }
}

/**
 * A filesystem-backed {@link MockupStorage}.
 * @example
 * const storage = createFsMockupStorage({ root: config.MOCKUP_STORAGE_DIR })
 * await storage.put(`${jobId}/mockup.webp`, mockup.webp, 'image/webp')
 */
export function createFsMockupStorage(options: FsMockupStorageOptions): MockupStorage {
  const root = resolve(options.root)
  const tmpDir = join(root, TMP_DIR)

  const paths = (key: string) => {
    const segments = storageKeySegments(key)
    const file = join(root, ...segments)
    // Belt and braces: the key grammar already makes escaping the root impossible.
    if (!file.startsWith(root + sep))
      throw new Error(`storage key ${key} resolves outside the root`)
    return { file, meta: `${join(root, META_DIR, ...segments)}.json` }
  }

  return {
    async put(key, bytes, contentType) {
      const { file, meta } = paths(key)
      assertContentType(contentType)
      await mkdir(tmpDir, { recursive: true })
      // Metadata first: once the object is visible, its content type is too.
      await writeAtomic(tmpDir, meta, Buffer.from(JSON.stringify({ contentType })))
      await writeAtomic(tmpDir, file, bytes)
    },

    async get(key): Promise<StoredObject | null> {
      const { file, meta } = paths(key)
      let bytes: Buffer
      try {
        bytes = await readFile(file)
      } catch (err) {
        if (isMissing(err)) return null
        throw err
      }
      return { bytes, contentType: await readContentType(meta) }
    },
  }
}
