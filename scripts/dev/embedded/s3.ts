/**
 * @module
 * A private S3-compatible server (tests, `npm run rehearse:edge`): s3rver
 * (npm) on a free loopback port, keeping its objects in a temp folder, with
 * one bucket made.
 * It checks the access key, request dates and presigned URLs' expiry; it does
 * not verify SigV4 signatures themselves (s3rver never has).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

/** The access key s3rver knows (its built-in account). */
const ACCESS_KEY = 'S3RVER'

/** A running local S3 server. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string
  port: number
  bucket: string
  /** The settings that point a service at this bucket (MOCKUP_STORAGE_* and AWS_*). */
  env: (prefix?: string) => Record<string, string>
  /** Stops the server and removes its folder. */
  close: () => Promise<void>
}

/** Starts s3rver with `bucket` created. */
export async function startLocalS3(bucket = 'mockups'): Promise<LocalS3> {
  const dir = await mkdtemp(join(tmpdir(), 'local-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    port,
    bucket,
    env: (prefix) => ({
      MOCKUP_STORAGE_URL: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
      MOCKUP_STORAGE_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: ACCESS_KEY,
    }),
    close: async () => {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
