import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import {
  resolvePostgres,
  resolveRedis,
  startPrivatePostgres,
  startPrivateRedis,
} from '../../scripts/dev/embedded/index.ts'
import { testDatabaseUrl } from '../support/env.ts'

const dir = await mkdtemp(join(tmpdir(), 'embedded-'))
// As root the cluster runs as the postgres user, who must be able to enter the folder.
await chmod(dir, 0o755)
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('embedded servers', () => {
  it('Should prefer a configured URL and start nothing', async () => {
    const resolved = await resolvePostgres(testDatabaseUrl(), dir)
    expect(resolved).toMatchObject({ url: testDatabaseUrl(), source: 'DATABASE_URL' })
  })

  it('Should start a private PostgreSQL cluster, reuse it, and stop it', async () => {
    const first = await resolvePostgres(undefined, dir)
    expect(first.source).toBe(`private cluster in ${join(dir, 'pg')}`)
    const client = new pg.Client(first.url)
    await client.connect()
    await client.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)')
    await client.end()
    await first.stop()
    // The second start reuses the folder: the data is still there.
    const second = await resolvePostgres(undefined, dir)
    const again = new pg.Client(second.url)
    await again.connect()
    expect((await again.query('SELECT n FROM kept')).rows).toEqual([{ n: 7 }])
    await again.end()
    await second.stop()
    await expect(new pg.Client(second.url).connect()).rejects.toThrow()
  })

  it.skipIf(process.getuid?.() !== 0)(
    'Should, as root in a folder the postgres user cannot enter, keep the cluster under the temp folder',
    async () => {
      const closed = await mkdtemp(join(tmpdir(), 'embedded-closed-'))
      let resolved: Awaited<ReturnType<typeof resolvePostgres>> | undefined
      try {
        await chmod(closed, 0o700)
        // Without a fallback, the error says how to open the folder.
        await expect(
          startPrivatePostgres({ dataDir: join(closed, '.data', 'pg') }),
        ).rejects.toThrow(/"postgres" user, who cannot enter .*embedded-closed-.*chmod o\+x/)
        resolved = await resolvePostgres(undefined, join(closed, '.data'))
        expect(resolved.source).toMatch(
          new RegExp(`^private cluster in ${join(tmpdir(), 'mockup-platform-pg')}/[0-9a-f]{12}$`),
        )
        const client = new pg.Client(resolved.url)
        await client.connect()
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
        await client.end()
      } finally {
        await resolved?.stop()
        const used = resolved?.source.replace('private cluster in ', '')
        if (used) await rm(used, { recursive: true, force: true })
        await rm(closed, { recursive: true, force: true })
      }
    },
  )

  it('Should start a private Redis on a free port and stop it', async () => {
    const resolved = await resolveRedis(undefined, dir)
    expect(resolved.source).toMatch(/^private redis-server on port \d+ \(append-only file in /)
    const redis = new Redis(resolved.url)
    expect(await redis.ping()).toBe('PONG')
    // npm start's queues survive a restart, and nothing is evicted.
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes'])
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual([
      'maxmemory-policy',
      'noeviction',
    ])
    redis.disconnect()
    await resolved.stop()
    const gone = new Redis(resolved.url, { lazyConnect: true, retryStrategy: () => null })
    gone.on('error', () => {})
    await expect(gone.connect()).rejects.toThrow()
  })

  it('Should say what is missing when redis-server is not on PATH', async () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      await expect(startPrivateRedis({ dir })).rejects.toThrow(/redis-server is not on PATH/)
    } finally {
      process.env.PATH = path
    }
  })
})
