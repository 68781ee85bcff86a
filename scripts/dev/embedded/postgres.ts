/**
 * @module
 * A private PostgreSQL cluster made with the local binaries (`initdb` +
 * `postgres`) in a folder of ours, on a free port: `npm start`'s database when
 * `DATABASE_URL` is unset, and the fault tests' server they may stop.
 */
import { execFile } from 'node:child_process'
import { access, chown, mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './free-port.ts'
import { spawnServer, waitUntil } from './process.ts'
import { findExecutable, postgresBinDirs } from './which.ts'

const run = promisify(execFile)

/** A running private PostgreSQL. */
export interface PrivatePostgres {
  url: string
  port: number
  /** The cluster folder in use: `dataDir`, or `fallbackDataDir` when the server's user cannot reach it. */
  dataDir: string
  stop: () => Promise<void>
}

/** Options of {@link startPrivatePostgres}. */
export interface PrivatePostgresOptions {
  /** Cluster folder; made with `initdb` on first use and reused after. */
  dataDir: string
  /**
   * Where the cluster goes instead when, as root, the `postgres` user cannot
   * enter a folder above `dataDir` (a checkout in a mode-700 home). Unset:
   * that is an error saying how to open the folder.
   */
  fallbackDataDir?: string
  /** @defaultValue a free port */
  port?: number
}

/** The local `initdb` and `postgres`, from PATH or Debian's folders, or undefined. */
export async function findPostgresBinaries(): Promise<
  { initdb: string; postgres: string } | undefined
> {
  const extra = await postgresBinDirs()
  const initdb = await findExecutable('initdb', extra)
  const postgres = await findExecutable('postgres', extra)
  return initdb && postgres ? { initdb, postgres } : undefined
}

/**
 * PostgreSQL refuses to run as root; as root we run it as the `postgres` user
 * (Debian's package creates it), owning the data folder.
 */
async function unprivilegedUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    return { uid, gid }
  } catch {
    throw new Error('running as root and there is no "postgres" user to run PostgreSQL as')
  }
}

/**
 * As root the cluster runs as `user`, who must be able to enter every folder
 * above the data folder; a clone in a private folder (mode 700, as mktemp
 * makes) would otherwise fail deep inside initdb with "Permission denied".
 */
function reachable(dataDir: string, user: { uid: number; gid: number }): Promise<boolean> {
  return run('test', ['-x', dirname(dataDir)], user).then(
    () => true,
    () => false,
  )
}

function unreachableError(dataDir: string): Error {
  return new Error(
    `running as root, PostgreSQL runs as the "postgres" user, who cannot enter ${dirname(dataDir)}: ` +
      'a folder above it is closed to other users (mode 700, as mktemp makes). ' +
      'Open it to them (chmod o+x on each such folder), work from another folder, or set DATABASE_URL',
  )
}

/** Creates (once) and starts a private cluster; resolves when it accepts connections. */
export async function startPrivatePostgres(
  options: PrivatePostgresOptions,
): Promise<PrivatePostgres> {
  const binaries = await findPostgresBinaries()
  if (!binaries)
    throw new Error(
      'PostgreSQL binaries (initdb, postgres) not found on PATH or in /usr/lib/postgresql',
    )
  const user = await unprivilegedUser()
  let dataDir = resolve(options.dataDir)
  // The parents stay world-traversable: the server may run as another user.
  await mkdir(dirname(dataDir), { recursive: true })
  if (user && !(await reachable(dataDir, user))) {
    if (!options.fallbackDataDir) throw unreachableError(dataDir)
    dataDir = resolve(options.fallbackDataDir)
    await mkdir(dirname(dataDir), { recursive: true })
    if (!(await reachable(dataDir, user))) throw unreachableError(dataDir)
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  if (user) await chown(dataDir, user.uid, user.gid)
  const initialised = await access(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  )
  if (!initialised) {
    await run(
      binaries.initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--no-sync',
        '--no-instructions',
      ],
      user ?? {},
    )
  }
  const port = options.port ?? (await freePort())
  const server = spawnServer(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      // A development and test cluster: durability traded for speed.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to leave.
    { ...(user ?? {}), stopSignal: 'SIGINT' },
  )
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  await waitUntil(server, () => canConnect(url), `postgres on port ${port}`, 30_000)
  return { url, port, dataDir, stop: () => server.stop() }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } finally {
    await client.end().catch(() => {})
  }
}
