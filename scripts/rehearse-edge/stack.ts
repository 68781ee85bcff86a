/**
 * @module
 * What the edge rehearsal runs, on this machine and offline: core and the GPU
 * worker as processes (as the chart runs them, on a private PostgreSQL schema
 * that core migrates and a private queue prefix), the mock-up bucket (s3rver),
 * the Upstash and Neon bridges the Worker's clients talk to, the Worker itself
 * (wrangler's dry-run bundle under workerd, with wrangler.toml's vars and the
 * secrets `wrangler secret put` would set, `CORE_URL` pointing at core), and
 * the local CDN built from `configure_cdn.sh --dry-run` in front of it all.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { Miniflare } from 'miniflare'
import pg from 'pg'
import { dryRunConfig, startLocalCdn } from '../cdn/local-cdn.ts'
import { checkEdgeBundle, type EdgeBundleReport, WRANGLER_CONFIG } from '../check_edge_bundle.ts'
import { startNeonBridge, startUpstashBridge } from '../dev/bridges/index.ts'
import { freePort, startLocalS3 } from '../dev/embedded/index.ts'
import { type RunningService, startService, stopAll, waitReady } from '../dev-stack/supervisor.ts'
import { bridgedEdgeEnv } from '../edge/env.ts'

const ROOT = resolve(import.meta.dirname, '../..')
/** The bucket and key prefix of the images (core's MOCKUP_STORAGE_URL, the CDN's images behaviour). */
export const IMAGES_BUCKET = 'mockup-images'
export const IMAGES_PREFIX = 'mockup-images'

/** Options of {@link startEdgeRehearsal}. */
export interface EdgeRehearsalOptions {
  databaseUrl: string
  redisUrl: string
  /** Each line a process prints. */
  onOutput: (line: string) => void
}

/** The running rehearsal. */
export interface EdgeRehearsal {
  /** The local CDN: every check goes through it, as a browser would. */
  cdnUrl: string
  /** The Worker itself (workerd), for `/readyz`. */
  edgeUrl: string
  /** `Authorization` value of the client key (`API_KEYS`). */
  authorization: string
  /** The wrangler.toml vars and the secrets, as deployed (CORE_URL replaced). */
  workerSettings: Record<string, string>
  bundle: EdgeBundleReport
  /** A Worker on the same bundle whose NEON_DATABASE_URL is another (empty) database. */
  startMisconfiguredWorker(): Promise<{ url: string; stop: () => Promise<void> }>
  /** A pool on the rehearsal's schema (seed data). */
  pool: pg.Pool
  schema: string
  close(): Promise<void>
}

/** wrangler.toml as wrangler reads it: the `[vars]` and the compatibility date deployed. */
async function wranglerSettings(): Promise<{ vars: Record<string, string>; date: string }> {
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig({ config: join(ROOT, WRANGLER_CONFIG) })
  const vars = Object.fromEntries(Object.entries(config.vars).map(([k, v]) => [k, String(v)]))
  if (!config.compatibility_date) throw new Error(`${WRANGLER_CONFIG} sets no compatibility_date`)
  return { vars, date: config.compatibility_date }
}

/** Deletes every key under `prefix` (the rehearsal's queues and cache). */
async function dropKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

/** waitReady, with the service's own /readyz report in the error (which check failed). */
async function ready(service: RunningService, timeoutMs: number): Promise<void> {
  try {
    await waitReady(service, timeoutMs)
  } catch (err) {
    const url = `http://127.0.0.1:${service.spec.metricsPort}/readyz`
    const report = await fetch(url).then(
      (res) => res.text(),
      () => 'no answer',
    )
    throw new Error(`${(err as Error).message}: ${report}`)
  }
}

/** Starts everything; on any failure stops what had started and rethrows. */
export async function startEdgeRehearsal(options: EdgeRehearsalOptions): Promise<EdgeRehearsal> {
  const cleanups: (() => Promise<unknown>)[] = []
  const close = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => {})
  }
  try {
    const id = randomBytes(4).toString('hex')
    const schema = `rehearse_edge_${id}`
    const prefix = `rehearse-edge-${id}`
    const admin = new pg.Client({ connectionString: options.databaseUrl })
    await admin.connect()
    await admin.query(`CREATE SCHEMA ${schema}; CREATE SCHEMA ${schema}_other`)
    await admin.end()
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: options.databaseUrl })
      await client.connect()
      await client.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_other CASCADE`)
      await client.end()
    })
    cleanups.push(() => dropKeys(options.redisUrl, prefix))
    const schemaUrl = (name: string) => {
      const url = new URL(options.databaseUrl)
      url.searchParams.set('options', `-c search_path=${name}`)
      return url.href
    }
    const pool = new pg.Pool({ connectionString: schemaUrl(schema), max: 2 })
    cleanups.push(() => pool.end())

    // The CDN first: core's MOCKUP_PUBLIC_BASE_URL is its address. Origins come as they listen.
    const origins: Record<string, string> = {}
    const cdnConfig = dryRunConfig([
      '--images-prefix',
      IMAGES_PREFIX,
      IMAGES_BUCKET,
      'edge.example.com',
    ])
    const cdn = await startLocalCdn({ config: cdnConfig, origins })
    cleanups.push(cdn.close)

    const s3 = await startLocalS3(IMAGES_BUCKET)
    cleanups.push(s3.close)
    origins['s3-images'] = `${s3.endpoint}/${IMAGES_BUCKET}`

    const secret = randomBytes(18).toString('base64url')
    const edgeServiceKey = randomBytes(24).toString('base64url')
    const [corePort, coreMetrics, gpuMetrics] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ])
    const coreUrl = `http://127.0.0.1:${corePort}`
    // The chart's settings (values.yaml with mockupStorage.url and the Secret).
    const shared = {
      DATABASE_URL: schemaUrl(schema),
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: prefix,
      API_KEYS: `rehearsal:${secret}`,
      EDGE_SERVICE_KEY: edgeServiceKey,
      ...s3.env(IMAGES_PREFIX),
      MOCKUP_STORAGE_REGION: 'us-east-1',
      MOCKUP_PUBLIC_BASE_URL: cdn.url,
      LOG_LEVEL: 'warn',
      // The local Redis keeps no data across restarts; a deployment's must (deploy/README.md).
      QUEUE_REDIS_ALLOW_VOLATILE: 'true',
    }
    const services: RunningService[] = [
      startService(
        {
          name: 'core',
          entry: 'core/main.ts',
          metricsPort: coreMetrics,
          env: {
            ...shared,
            PORT: String(corePort),
            METRICS_PORT: String(coreMetrics),
            CORE_WORKERS: '1',
          },
          url: coreUrl,
        },
        options.onOutput,
      ),
    ]
    cleanups.push(() => stopAll(services))
    // Core migrates on start (the chart's initContainer does the same first).
    await ready(services[0]!, 60_000)
    services.push(
      startService(
        {
          name: 'gpu',
          entry: 'gpu-worker/main.ts',
          metricsPort: gpuMetrics,
          env: { ...shared, METRICS_PORT: String(gpuMetrics) },
          url: '(queue worker)',
        },
        options.onOutput,
      ),
    )

    const token = randomBytes(24).toString('base64url')
    const upstash = await startUpstashBridge({ redisUrl: options.redisUrl, token })
    cleanups.push(upstash.close)
    const neon = await startNeonBridge({ allow: [options.databaseUrl] })
    cleanups.push(neon.close)
    const bridged = (name: string) =>
      bridgedEdgeEnv({ upstash, token, neon, databaseUrl: options.databaseUrl, schema: name })

    const outdir = await mkdtemp(join(tmpdir(), 'rehearse-edge-bundle-'))
    cleanups.push(() => rm(outdir, { recursive: true, force: true }))
    const bundle = checkEdgeBundle({ outdir })
    // workerd would follow the bundle's sourceMappingURL out of its folder and refuse.
    const script = (await readFile(join(outdir, 'workerd.js'), 'utf8')).replace(
      /\/\/# sourceMappingURL=.*$/m,
      '',
    )
    const { vars, date } = await wranglerSettings()
    // What `wrangler secret put` sets, and CORE_URL pointing at this core.
    // The bridges' record comes first: it carries local defaults of its own.
    const workerSettings = {
      ...bridged(schema),
      ...vars,
      CORE_URL: coreUrl,
      EDGE_SERVICE_KEY: edgeServiceKey,
      API_KEYS: shared.API_KEYS,
      SCORE_CACHE_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'warn',
    }
    const startWorker = async (bindings: Record<string, string>) => {
      const port = await freePort()
      const mf = new Miniflare({
        modules: true,
        script,
        bindings,
        compatibilityDate: date,
        host: '127.0.0.1',
        port,
      })
      await mf.ready
      return { url: `http://127.0.0.1:${port}`, stop: () => mf.dispose() }
    }
    const worker = await startWorker(workerSettings)
    cleanups.push(worker.stop)
    origins.edge = worker.url
    await ready(services[1]!, 90_000)

    return {
      cdnUrl: cdn.url,
      edgeUrl: worker.url,
      authorization: `Bearer ${secret}`,
      workerSettings,
      bundle,
      startMisconfiguredWorker: () =>
        startWorker({
          ...workerSettings,
          NEON_DATABASE_URL: bridged(`${schema}_other`).NEON_DATABASE_URL!,
        }),
      pool,
      schema,
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}
