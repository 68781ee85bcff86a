/**
 * @module
 * The Upstash bridge driven by the real `@upstash/redis` client (auto-pipelined,
 * base64 responses) and by raw fetch for the protocol details, against the
 * shared test Redis under a key prefix of its own.
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { Redis as UpstashRedis } from '@upstash/redis'
import { Redis as IORedis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DENIED_COMMANDS,
  startUpstashBridge,
  type UpstashBridge,
} from '../../scripts/dev/bridges/index.ts'
import { testRedisUrl } from '../support/env.ts'

const prefix = `test:${randomUUID()}:`
const key = (name: string): string => `${prefix}${name}`
const token = `token-${randomUUID()}`
const logLines: string[] = []
const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) })

let bridge: UpstashBridge
let redis: UpstashRedis
let direct: IORedis

/** POSTs `body` to the bridge as the client would, with the right token by default. */
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

const b64 = (text: string): string => Buffer.from(text).toString('base64')

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl(), token, logger })
  redis = new UpstashRedis({ url: bridge.url, token, retry: false, enableTelemetry: false })
  direct = new IORedis(testRedisUrl())
})

afterAll(async () => {
  const keys = await direct.keys(`${prefix}*`)
  if (keys.length > 0) await direct.del(...keys)
  direct.disconnect()
  await bridge.close()
})

describe('Upstash bridge with @upstash/redis', () => {
  it('Should set and get strings, unicode included', async () => {
    const text = 'héllo wörld 🎉 日本語'
    expect(await redis.set(key('s'), text)).toBe('OK')
    expect(await redis.get(key('s'))).toBe(text)
    expect(await redis.strlen(key('s'))).toBe(Buffer.byteLength(text))
  })

  it('Should round-trip JSON values and numbers', async () => {
    const value = { a: 1, b: [1, 'two', null], c: { d: true } }
    await redis.set(key('json'), value)
    expect(await redis.get(key('json'))).toEqual(value)
    expect(await direct.get(key('json'))).toBe(JSON.stringify(value))

    await redis.set(key('n'), 41)
    expect(await redis.incr(key('n'))).toBe(42)
    expect(await redis.incrbyfloat(key('n'), 0.5)).toBe(42.5)
  })

  it('Should answer null for a missing key', async () => {
    expect(await redis.get(key('missing'))).toBeNull()
  })

  it('Should handle hashes and lists in their raw shapes', async () => {
    await redis.hset(key('h'), { name: 'mug', size: 'xl' })
    expect(await redis.hgetall(key('h'))).toEqual({ name: 'mug', size: 'xl' })
    expect(await redis.hget(key('h'), 'name')).toBe('mug')

    expect(await redis.rpush(key('l'), 'a', 'b', 'c')).toBe(3)
    expect(await redis.lrange(key('l'), 0, -1)).toEqual(['a', 'b', 'c'])
    expect(await redis.lpop(key('l'))).toBe('a')

    await redis.zadd(key('z'), { score: 1.5, member: 'm1' }, { score: 2, member: 'm2' })
    expect(await redis.zrange(key('z'), 0, -1, { withScores: true })).toEqual(['m1', 1.5, 'm2', 2])
  })

  it('Should set an expiry with SET EX', async () => {
    await redis.set(key('ttl'), 'v', { ex: 60 })
    const ttl = await redis.ttl(key('ttl'))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60)
  })

  it('Should run a pipeline, one result per command', async () => {
    const pipeline = redis.pipeline()
    pipeline.set(key('p1'), 'one')
    pipeline.incr(key('p2'))
    pipeline.get(key('p1'))
    pipeline.hset(key('p3'), { f: 'v' })
    expect(await pipeline.exec()).toEqual(['OK', 1, 'one', 1])
  })

  it('Should run a transaction atomically and keep per-command errors', async () => {
    const tx = redis.multi()
    tx.set(key('t1'), 'x')
    tx.incr(key('t2'))
    tx.get(key('t1'))
    expect(await tx.exec()).toEqual(['OK', 1, 'x'])

    const failing = redis.multi()
    failing.set(key('t3'), 'text')
    failing.incr(key('t3'))
    await expect(failing.exec()).rejects.toThrow(/Command 2 \[ incr \] failed: ERR value is not/)
    // The commands before the failing one still ran: EXEC is not a rollback.
    expect(await direct.get(key('t3'))).toBe('text')
  })

  it('Should pass a Redis error on as the client error message', async () => {
    await redis.set(key('notint'), 'abc')
    await expect(redis.incr(key('notint'))).rejects.toThrow(
      'ERR value is not an integer or out of range',
    )
  })

  it('Should make the client throw on a wrong token, and never log the token', async () => {
    const wrong = new UpstashRedis({
      url: bridge.url,
      token: 'wrong',
      retry: false,
      enableTelemetry: false,
    })
    await expect(wrong.get(key('s'))).rejects.toThrow('Unauthorized')
    const res = await post('/', ['GET', key('s')], { Authorization: '' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'Unauthorized' })
    expect(logLines.join('\n')).not.toContain(token)
  })

  it('Should refuse a denied command through the client', async () => {
    await expect(redis.eval('return 1', [], [])).resolves.toBe(1)
    await expect(redis.scriptFlush()).rejects.toThrow("'SCRIPT FLUSH' is not allowed")
  })
})

describe('Upstash bridge protocol', () => {
  it('Should base64 every string except a whole OK, keeping numbers, null and errors', async () => {
    await direct.del(key('bits'))
    // SETBIT makes a non-UTF-8 byte (0x80): base64 must carry the raw bytes.
    await direct.setbit(key('bits'), 0, 1)
    await direct.del(key('h'))
    await direct.hset(key('h'), 'f', 'OK')
    const res = await post(
      '/pipeline',
      [
        ['SET', key('b1'), 'héllo'],
        ['GET', key('b1')],
        ['SET', key('b2'), 'OK'],
        ['INCR', key('b3')],
        ['GET', key('b-missing')],
        ['RPUSH', key('b4'), 'OK', 'two'],
        ['LRANGE', key('b4'), 0, -1],
        // A one-field hash is scanned whole in one call: a nested reply, deterministically.
        ['HSCAN', key('h'), 0],
        ['INCR', key('b1')],
        ['GET', key('bits')],
      ],
      { 'Upstash-Encoding': 'base64' },
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as unknown[]
    expect(body.slice(0, 9)).toEqual([
      { result: 'OK' },
      { result: b64('héllo') },
      { result: 'OK' },
      { result: 1 },
      { result: null },
      { result: 2 },
      // Inside arrays even OK is encoded: the client decodes every nested string.
      { result: [b64('OK'), b64('two')] },
      { result: [b64('0'), [b64('f'), b64('OK')]] },
      { error: 'ERR value is not an integer or out of range' },
    ])
    expect(body[9]).toEqual({ result: Buffer.from([0x80]).toString('base64') })
  })

  it('Should answer plain strings without the encoding header', async () => {
    await post('/', ['SET', key('plain'), 'ünïcode'])
    const res = await post('/', ['GET', key('plain')])
    expect(await res.json()).toEqual({ result: 'ünïcode' })
    const hash = await post('/', ['HSET', key('plain-h'), 'a', 1, 'b', 2])
    expect(await hash.json()).toEqual({ result: 2 })
    const all = await post('/', ['HGETALL', key('plain-h')])
    expect(await all.json()).toEqual({ result: ['a', '1', 'b', '2'] })
  })

  it('Should answer a Redis error on one command with 400', async () => {
    await post('/', ['SET', key('e'), 'text'])
    const res = await post('/', ['INCR', key('e')], { 'Upstash-Encoding': 'base64' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'ERR value is not an integer or out of range' })
  })

  it('Should abort a transaction with a queuing error as one error, running nothing', async () => {
    const res = await post('/multi-exec', [
      ['SET', key('abort'), 'x'],
      ['SET', key('abort')],
    ])
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^EXECABORT/) })
    expect(await direct.exists(key('abort'))).toBe(0)
  })

  it('Should refuse denied commands with 400, alone or in a pipeline', async () => {
    const config = await post('/', ['config', 'get', 'maxmemory'])
    expect(config.status).toBe(400)
    expect(await config.json()).toEqual({
      error: expect.stringContaining("'CONFIG' is not allowed"),
    })
    const pipeline = await post('/pipeline', [
      ['SET', key('never'), 'x'],
      ['SUBSCRIBE', 'channel'],
    ])
    expect(pipeline.status).toBe(400)
    expect(await direct.exists(key('never'))).toBe(0)
    for (const name of ['FLUSHALL', 'FLUSHDB', 'SHUTDOWN', 'MONITOR', 'SELECT', 'SCRIPT KILL']) {
      expect(DENIED_COMMANDS.has(name)).toBe(true)
    }
  })

  it('Should answer a bad body with 400 and a clear message', async () => {
    for (const body of ['not json', '{"a":1}', '[]', '[["GET","k"]]', '[true]', '[{}]']) {
      const res = await post('/', body)
      expect(res.status, body).toBe(400)
      expect(((await res.json()) as { error: string }).error).toMatch(/^ERR the (request )?body/)
    }
    const pipeline = await post('/pipeline', [['GET', key('x')], 'GET'])
    expect(pipeline.status).toBe(400)
    expect(await pipeline.json()).toEqual({ error: expect.stringContaining('at 1') })
  })

  it('Should answer a body over the limit with 413', async () => {
    const res = await post('/', ['SET', key('big'), 'x'.repeat(1024 * 1024 + 1)])
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ error: expect.stringContaining('over') })
    expect(await direct.exists(key('big'))).toBe(0)
  })
})

describe('Upstash bridge with Redis down', () => {
  it('Should answer 503 quickly instead of hanging', async () => {
    const port = await freePort()
    const down = await startUpstashBridge({ redisUrl: `redis://127.0.0.1:${port}`, token })
    try {
      const started = performance.now()
      const client = new UpstashRedis({
        url: down.url,
        token,
        retry: false,
        enableTelemetry: false,
      })
      await expect(client.get(key('s'))).rejects.toThrow(/Redis is unavailable/)
      const res = await fetch(down.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: JSON.stringify(['GET', key('s')]),
      })
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ error: expect.stringContaining('Redis is unavailable') })
      expect(performance.now() - started).toBeLessThan(1000)
    } finally {
      await down.close()
    }
  })
})

/** A port nothing listens on: bound, read, released. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
