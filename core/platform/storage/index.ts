/**
 * @module
 * Mock-up image storage: the {@link MockupStorage} contract and its
 * filesystem and S3-compatible implementations.
 *
 * @example
 * import { createMockupStorage } from './storage/index.ts'
 * const storage = createMockupStorage(config)
 * await storage.put(`${jobId}/mockup.png`, mockup.png, 'image/png')
 */
import type { Config } from '../config/index.ts'
import type { HealthCheck } from '../health.ts'
import { createFsMockupStorage } from './fs-storage.ts'
import { parseS3StorageUrl } from './s3-location.ts'
import { createS3MockupStorage } from './s3-storage.ts'
import type { MockupStorage } from './types.ts'

export { StorageUnavailableError } from './errors.ts'
export { createFsMockupStorage, type FsMockupStorageOptions } from './fs-storage.ts'
export {
  MAX_STORAGE_KEY_LENGTH,
  STORAGE_KEY_PATTERN,
  StorageKeyError,
  storageKeySegments,
} from './key.ts'
export { redirectCacheControl } from './published.ts'
export {
  createS3MockupStorage,
  type S3MockupStorageOptions,
  STORED_OBJECT_CACHE_CONTROL,
} from './s3-storage.ts'
export type { MockupStorage, PublishedObject, StoredObject } from './types.ts'

/** The settings {@link createMockupStorage} reads. */
export type MockupStorageConfig = Pick<
  Config,
  | 'MOCKUP_STORAGE_DIR'
  | 'MOCKUP_STORAGE_URL'
  | 'MOCKUP_STORAGE_ENDPOINT'
  | 'MOCKUP_STORAGE_REGION'
  | 'MOCKUP_PUBLIC_BASE_URL'
  | 'MOCKUP_URL_TTL_SECONDS'
  | 'AWS_ACCESS_KEY_ID'
  | 'AWS_SECRET_ACCESS_KEY'
  | 'AWS_SESSION_TOKEN'
>

/**
 * The storage the GPU worker writes and core serves from: the bucket at
 * `MOCKUP_STORAGE_URL` when set, else the folder at `MOCKUP_STORAGE_DIR`.
 */
export function createMockupStorage(config: MockupStorageConfig): MockupStorage {
  if (!config.MOCKUP_STORAGE_URL) return createFsMockupStorage({ root: config.MOCKUP_STORAGE_DIR })
  // loadConfig refuses a bucket without credentials; this guards other callers.
  if (!config.AWS_ACCESS_KEY_ID || !config.AWS_SECRET_ACCESS_KEY) {
    throw new Error('MOCKUP_STORAGE_URL needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
  }
  return createS3MockupStorage({
    ...parseS3StorageUrl(config.MOCKUP_STORAGE_URL),
    endpoint: config.MOCKUP_STORAGE_ENDPOINT,
    region: config.MOCKUP_STORAGE_REGION,
    accessKeyId: config.AWS_ACCESS_KEY_ID,
    secretAccessKey: config.AWS_SECRET_ACCESS_KEY,
    sessionToken: config.AWS_SESSION_TOKEN,
    publicBaseUrl: config.MOCKUP_PUBLIC_BASE_URL,
    urlTtlSeconds: config.MOCKUP_URL_TTL_SECONDS,
  })
}

/** The readiness checks of a storage: a HEAD of the bucket for S3, none for the filesystem. */
export function storageReadinessChecks(storage: MockupStorage): HealthCheck[] {
  const { check } = storage
  return check ? [{ name: 'mockup-storage', check: () => check.call(storage) }] : []
}
