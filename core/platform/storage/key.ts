/**
 * @module
 * Storage keys: slash-separated segments of `[A-Za-z0-9_.-]`, the first without
 * a dot, never `.` or `..`. So a key cannot be absolute, climb out of the root,
 * or name the storage's own hidden folders, even if part of it came from a user.
 */

/** The key grammar: a first segment without dots, then segments that may have them. */
export const STORAGE_KEY_PATTERN = /^[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_.-]+)*$/

/** Longest key accepted, in characters (well under common file-path limits). */
export const MAX_STORAGE_KEY_LENGTH = 512

/** Thrown for a key outside the grammar. */
export class StorageKeyError extends Error {
  override readonly name = 'StorageKeyError'
}

/**
 * Checks a key and returns its segments.
 * @throws StorageKeyError naming the key and the rule it breaks
 * @example
 * storageKeySegments('job-1/mockup.png') // ['job-1', 'mockup.png']
 * storageKeySegments('../etc/passwd')    // throws
 */
export function storageKeySegments(key: string): string[] {
  if (typeof key !== 'string' || key.length > MAX_STORAGE_KEY_LENGTH) {
    throw new StorageKeyError(
      `storage key must be a string of at most ${MAX_STORAGE_KEY_LENGTH} characters`,
    )
  }
  if (!STORAGE_KEY_PATTERN.test(key)) {
    throw new StorageKeyError(
      `invalid storage key ${JSON.stringify(key)}: expected segments of [A-Za-z0-9_.-] joined by /`,
    )
  }
  const segments = key.split('/')
  // The pattern admits `.` and `..` after the first segment; they would walk the tree.
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new StorageKeyError(
      `invalid storage key ${JSON.stringify(key)}: "." and ".." are not allowed`,
    )
  }
  return segments
}
