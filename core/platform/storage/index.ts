/**
 * @module
 * Mock-up image storage: the {@link MockupStorage} contract and its
 * filesystem implementation.
 *
 * @example
 * import { createMockupStorage } from './storage/index.ts'
 * const storage = createMockupStorage(config)
 * await storage.put(`${jobId}/mockup.png`, mockup.png, 'image/png')
 */
import type { Config } from '../config/index.ts'
import { createFsMockupStorage } from './fs-storage.ts'
import type { MockupStorage } from './types.ts'

export { createFsMockupStorage, type FsMockupStorageOptions } from './fs-storage.ts'
export {
  MAX_STORAGE_KEY_LENGTH,
  STORAGE_KEY_PATTERN,
  StorageKeyError,
  storageKeySegments,
} from './key.ts'
export type { MockupStorage, StoredObject } from './types.ts'

/** The storage the GPU worker writes and core serves from: the folder at `MOCKUP_STORAGE_DIR`. */
export function createMockupStorage(config: Pick<Config, 'MOCKUP_STORAGE_DIR'>): MockupStorage {
  return createFsMockupStorage({ root: config.MOCKUP_STORAGE_DIR })
}
