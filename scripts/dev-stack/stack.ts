/**
 * @module
 * The stack's services as `npm start` runs them (core, edge, ingestion worker,
 * GPU worker; each its own Node process), for `scripts/dev-stack.ts` and for
 * the tests that start the whole stack (tests/e2e, tests/console). The servers
 * (PostgreSQL, Redis), migrations and data are the caller's.
 */
import { randomBytes } from 'node:crypto'
import { startNeonBridge, startUpstashBridge } from '../dev/bridges/index.ts'
import { freePort } from '../dev/embedded/index.ts'
import { bridgedEdgeEnv } from '../edge/env.ts'
import { portFor } from './ports.ts'
import {
  type RunningService,
  type ServiceSpec,
  startService,
  stopAll,
  waitReady,
} from './supervisor.ts'

/** The services, in start order. */
export const STACK_SERVICES = ['core', 'edge', 'ingest', 'gpu'] as const

/** A service's name. */
export type StackServiceName = (typeof STACK_SERVICES)[number]

/** Options of {@link launchStack}. */
export interface StackOptions {
  databaseUrl: string
  redisUrl: string
  /** `API_KEYS`: `name:secret,...`. */
  apiKeys: string
  /** Where the GPU worker writes images and core reads them (`MOCKUP_STORAGE_DIR`). */
  storageDir: string
  /** `LOG_LEVEL` of every service. @defaultValue `'warn'` */
  logLevel?: string
  /**
   * Ports to prefer: `'defaults'` takes the documented ones (core 3000/9464,
   * edge 8787/9465, 9466, 9467) when free; `'free'` always takes free ones
   * (tests, which run beside other stacks).
   * @defaultValue `'defaults'`
   */
  ports?: 'defaults' | 'free'
  /** Core's preferred port (`PORT`). @defaultValue 3000 */
  corePort?: number
  /**
   * The edge's clients: `'bridged'` runs the clients the CDN edge runs
   * (Upstash REST and Neon) through local bridges to this Redis and PostgreSQL,
   * so the code path is the deployed one; `'direct'` uses ioredis and pg.
   * @defaultValue `'bridged'`
   */
  edgeClients?: 'bridged' | 'direct'
  /** More environment for every service (`QUEUE_PREFIX`, `MODEL_DIR`, ...). */
  env?: Record<string, string>
  /** Each line a service prints, prefixed with its name. */
  onOutput: (line: string) => void
  /** Called as each service starts. */
  onStart?: (name: StackServiceName) => void
}

/** A started stack. */
export interface Stack {
  specs: readonly ServiceSpec[]
  services: readonly RunningService[]
  coreUrl: string
  edgeUrl: string
  /** `http://127.0.0.1:<metrics port>/metrics` of a service. */
  metricsUrl: (name: StackServiceName) => string
  /** Resolves when every `/readyz` answers; rejects naming the first that fails. */
  ready: (timeoutMs?: number) => Promise<void>
  /** Stops every service (SIGTERM, then SIGKILL after `graceMs`). */
  stop: (graceMs?: number) => Promise<void>
}

/**
 * Picks ports and starts every service; returns at once (see `ready()`), so a
 * caller can stop what started even while it waits.
 *
 * @example
 * const stack = await launchStack({ databaseUrl, redisUrl, apiKeys, storageDir, onOutput: console.log })
 * await stack.ready()
 */
export async function launchStack(options: StackOptions): Promise<Stack> {
  const port = (preferred: number) => (options.ports === 'free' ? freePort() : portFor(preferred))
  const shared = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    API_KEYS: options.apiKeys,
    // The edge vouches for callers at core with it: each call counted once, where it enters.
    EDGE_SERVICE_KEY: randomBytes(24).toString('base64url'),
    MOCKUP_STORAGE_DIR: options.storageDir,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  }
  const corePort = await port(options.corePort ?? 3000)
  const edgePort = await port(8787)
  const coreUrl = `http://127.0.0.1:${corePort}`
  const edgeUrl = `http://127.0.0.1:${edgePort}`
  const bridges = options.edgeClients === 'direct' ? undefined : await startBridges(options)
  const specs: ServiceSpec[] = [
    {
      name: 'core',
      entry: 'core/main.ts',
      metricsPort: await port(9464),
      env: { ...shared, PORT: String(corePort), CORE_WORKERS: '1' },
      url: coreUrl,
    },
    {
      name: 'edge',
      entry: 'core/edge-host/main.ts',
      metricsPort: await port(9465),
      env: { ...shared, ...bridges?.env, PORT: String(edgePort), CORE_URL: coreUrl },
      url: edgeUrl,
    },
    {
      name: 'ingest',
      entry: 'core/ingestion/worker-main.ts',
      metricsPort: await port(9466),
      env: shared,
      url: '(queue worker)',
    },
    {
      name: 'gpu',
      entry: 'gpu-worker/main.ts',
      metricsPort: await port(9467),
      env: shared,
      url: '(queue worker)',
    },
  ]
  const services: RunningService[] = []
  for (const spec of specs) {
    options.onStart?.(spec.name as StackServiceName)
    services.push(
      startService(
        { ...spec, env: { ...spec.env, METRICS_PORT: String(spec.metricsPort) } },
        options.onOutput,
      ),
    )
  }
  const metricsPort = (name: StackServiceName) => specs.find((s) => s.name === name)!.metricsPort
  return {
    specs,
    services,
    coreUrl,
    edgeUrl,
    metricsUrl: (name) => `http://127.0.0.1:${metricsPort(name)}/metrics`,
    ready: async (timeoutMs) => {
      await Promise.all(services.map((service) => waitReady(service, timeoutMs)))
    },
    stop: async (graceMs) => {
      await stopAll(services, graceMs)
      await bridges?.close()
    },
  }
}

/** The Upstash and Neon bridges in this process, and the edge's environment for them. */
async function startBridges(options: StackOptions) {
  const token = randomBytes(24).toString('base64url')
  const upstash = await startUpstashBridge({ redisUrl: options.redisUrl, token })
  const neon = await startNeonBridge({ allow: [options.databaseUrl] }).catch(
    async (err: unknown) => {
      await upstash.close()
      throw err
    },
  )
  return {
    env: bridgedEdgeEnv({ upstash, token, neon, databaseUrl: options.databaseUrl }),
    close: async () => {
      await Promise.allSettled([upstash.close(), neon.close()])
    },
  }
}
