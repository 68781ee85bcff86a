/**
 * @module
 * Where objects live in an S3-compatible bucket: `MOCKUP_STORAGE_URL`
 * (`s3://bucket` or `s3://bucket/prefix`) parsed, and the request URLs built
 * from it. With an endpoint (R2, MinIO, a local server) requests are
 * path-style, `<endpoint>/<bucket>/<object key>`, which those servers need;
 * on AWS they are virtual-host style, `https://<bucket>.s3.<region>.amazonaws.com/<object key>`.
 */

/**
 * `s3://bucket[/prefix]`: an S3 bucket name (3-63 lowercase letters, digits,
 * dots and hyphens) and an optional prefix of `[A-Za-z0-9_-]` segments.
 */
export const S3_STORAGE_URL_PATTERN =
  /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*))?\/?$/

/** A bucket, the prefix its objects go under, and how to reach it. */
export interface S3Location {
  bucket: string
  /** Prepended to every key with a `/`; empty for none. */
  prefix: string
  /** The S3-compatible endpoint (path-style); undefined for AWS (virtual-host style). */
  endpoint?: string | undefined
  region: string
}

/**
 * Parses `MOCKUP_STORAGE_URL`.
 * @throws TypeError for a value outside {@link S3_STORAGE_URL_PATTERN}
 * @example
 * parseS3StorageUrl('s3://mockups/prod') // { bucket: 'mockups', prefix: 'prod' }
 */
export function parseS3StorageUrl(value: string): Pick<S3Location, 'bucket' | 'prefix'> {
  const match = S3_STORAGE_URL_PATTERN.exec(value)
  if (!match?.[1]) throw new TypeError(`expected s3://bucket or s3://bucket/prefix, got ${value}`)
  return { bucket: match[1], prefix: match[2] ?? '' }
}

/** The object key of a storage key: the prefix, if any, then the key. */
export function objectKey(location: S3Location, key: string): string {
  return location.prefix ? `${location.prefix}/${key}` : key
}

/** The bucket's URL (a HEAD of it is the readiness check). */
export function bucketUrl(location: S3Location): URL {
  if (location.endpoint)
    return new URL(`${location.endpoint.replace(/\/+$/, '')}/${location.bucket}`)
  return new URL(`https://${location.bucket}.s3.${location.region}.amazonaws.com/`)
}

/** The URL of the object under a storage key (already checked against the key grammar). */
export function objectUrl(location: S3Location, key: string): URL {
  const bucket = bucketUrl(location)
  // Key characters ([A-Za-z0-9_.-/]) need no escaping in a path.
  return new URL(`${bucket.href.replace(/\/$/, '')}/${objectKey(location, key)}`)
}
