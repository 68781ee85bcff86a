/** @module Storage failures that are the backend's, not the caller's. */

/**
 * The backend did not answer, or answered with a failure (a bucket that is
 * down, refuses the credentials, or times out). Worth a retry later; `cause`
 * has the underlying error where there is one.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError'
}
