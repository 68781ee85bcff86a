/**
 * @module
 * The storage contract the GPU worker writes mock-ups through. The worker
 * depends on this, not on a filesystem or bucket (STYLE.md rule 6).
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
   * that is not one line of printable ASCII
   */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /**
   * The object under a key, or null if there is none.
   * @throws StorageKeyError for a key outside the key grammar
   */
  get(key: string): Promise<StoredObject | null>
  /** A URL clients can fetch the object from, where the storage is published (e.g. behind a CDN). */
  url?(key: string): string
}
