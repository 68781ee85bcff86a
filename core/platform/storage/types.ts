/**
 * @module
 * The storage contract the GPU worker writes mock-ups through and core serves
 * them from. Both depend on this, not on a filesystem or bucket (STYLE.md rule 6).
 */

/** A stored object. */
export interface StoredObject {
  bytes: Buffer
  /** As given to `put`, e.g. `image/png`. */
  contentType: string
}

/** Where mock-up images go. Keys are made by the worker, e.g. `<jobId>/mockup.png`. */
export interface MockupStorage {
  /**
   * Stores bytes under a key, replacing what was there. Readers see the old
   * object or the new one, never part of one.
   * @throws StorageKeyError for a key outside the key grammar; TypeError for a content type
   * that is not one line of printable ASCII; StorageUnavailableError when a remote backend fails
   */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /**
   * The object under a key, or null if there is none.
   * @throws StorageKeyError for a key outside the key grammar; StorageUnavailableError when a
   * remote backend fails
   */
  get(key: string): Promise<StoredObject | null>
  /**
   * Where the storage is published (S3: a CDN or presigned URLs): a URL clients
   * can fetch the object from, or null if there is no such object. Absent on
   * storage that is not published (the filesystem): then serve `get`'s bytes.
   * @throws StorageKeyError for a key outside the key grammar; StorageUnavailableError when
   * the backend cannot say
   */
  url?(key: string): Promise<PublishedObject | null>
  /**
   * Resolves when the backend answers (a readiness check), where it is remote.
   * @throws StorageUnavailableError naming what failed
   */
  check?(): Promise<void>
}

/** A URL an object can be fetched from. */
export interface PublishedObject {
  url: string
  /** Seconds the URL stays valid (a presigned URL), or null when it does not expire (a CDN). */
  expiresInSeconds: number | null
}
