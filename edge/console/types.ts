/** @module The shape of one embedded console file (see `assets.generated.ts`). */

/** A file of the console, embedded as a string. */
export interface ConsoleAsset {
  /** File name; for hashed assets it holds the content hash (`app.<hash>.js`). */
  name: string
  contentType: string
  /** Strong `ETag` of the body. */
  etag: string
  body: string
}
