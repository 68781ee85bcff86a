import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../tests/support/logs.ts'
import { errorHandler } from '../errors/index.ts'
import { addProfiling, logThrough, type RequestLabels, UNMATCHED_ROUTE } from './index.ts'

function profiledApp() {
  const logger = memoryLogger()
  const observed: { labels: RequestLabels; seconds: number }[] = []
  let clock = 0
  const app = new Hono()
  addProfiling(app, {
    service: 'svc',
    log: logThrough(logger),
    observe: (labels, seconds) => observed.push({ labels, seconds }),
    // Each call advances 7 ms, so a request takes exactly 7 ms.
    now: () => (clock += 7),
  })
  app.onError(errorHandler(logger))
  app.use('/api/*', async (c, next) => {
    if (c.req.header('x-deny')) return c.json({ error: 'denied' }, 401)
    return next()
  })
  app.get('/api/posts/:id', (c) => c.text('post'))
  app.post('/api/posts', (c) => c.json({ ok: true }, 201))
  // A handler mounted as middleware, as @hono/trpc-server is.
  app.use('/trpc/*', async (c) => c.json({ result: 1 }))
  app.get('/ping', (c) => c.text('pong'))
  app.get('/boom', () => {
    throw new Error('kaboom')
  })
  return { app, logger, observed }
}

describe('addProfiling', () => {
  it('Should log and observe one entry per request with the route pattern', async () => {
    const { app, logger, observed } = profiledApp()
    const res = await app.request('/api/posts/42?secret=x')
    expect(res.status).toBe(200)
    expect(observed).toEqual([
      {
        labels: { service: 'svc', method: 'GET', route: '/api/posts/:id', status: '200' },
        seconds: 0.007,
      },
    ])
    const requests = logger.lines.filter((line) => line.msg === 'request')
    expect(requests).toHaveLength(1)
    expect(requests[0]?.obj).toEqual({
      method: 'GET',
      route: '/api/posts/:id',
      path: '/api/posts/42',
      status: 200,
      durationMs: 7,
    })
  })

  it('Should label the status the handler chose', async () => {
    const { app, observed } = profiledApp()
    await app.request('/api/posts', { method: 'POST' })
    expect(observed[0]?.labels).toMatchObject({
      method: 'POST',
      route: '/api/posts',
      status: '201',
    })
  })

  it('Should use one label for paths no route matches', async () => {
    const { app, observed } = profiledApp()
    await app.request('/random/1')
    await app.request('/random/2')
    expect(observed.map((o) => o.labels.route)).toEqual([UNMATCHED_ROUTE, UNMATCHED_ROUTE])
    expect(observed.map((o) => o.labels.status)).toEqual(['404', '404'])
  })

  it('Should record a failing handler as 500', async () => {
    const { app, observed } = profiledApp()
    const res = await app.request('/boom')
    expect(res.status).toBe(500)
    expect(observed[0]?.labels).toMatchObject({ route: '/boom', status: '500' })
  })

  it('Should fold unknown methods into OTHER', async () => {
    const { app, observed } = profiledApp()
    await app.request('/api/posts/1', { method: 'PROPFIND' })
    expect(observed[0]?.labels.method).toBe('OTHER')
  })

  it('Should label a request a middleware refused with the route it was for', async () => {
    const { app, observed } = profiledApp()
    const res = await app.request('/api/posts/7', { headers: { 'x-deny': '1' } })
    expect(res.status).toBe(401)
    expect(observed[0]?.labels).toMatchObject({ route: '/api/posts/:id', status: '401' })
  })

  it('Should label a handler mounted with use() by its pattern', async () => {
    const { app, observed } = profiledApp()
    await app.request('/trpc/score.get')
    expect(observed[0]?.labels).toMatchObject({ route: '/trpc/*', status: '200' })
  })

  it('Should label HEAD with the GET route that answers it', async () => {
    const { app, observed } = profiledApp()
    const res = await app.request('/api/posts/3', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(observed[0]?.labels).toMatchObject({ method: 'HEAD', route: '/api/posts/:id' })
  })

  it('Should keep a synchronous answer synchronous', () => {
    const { app, observed } = profiledApp()
    // A lone handler is Hono's synchronous path; profiling must not turn it into a promise.
    const res = app.fetch(new Request('http://localhost/ping'))
    expect(res).toBeInstanceOf(Response)
    expect(observed).toHaveLength(1)
  })

  it('Should label a request made from inside a handler, and the handler, each by its own route', async () => {
    const { app, observed } = profiledApp()
    // Synchronous: the inner dispatch runs while the outer one is still matching its route.
    app.get('/proxy/:id', (c) =>
      app.fetch(new Request(`http://localhost/api/posts/${c.req.param('id')}`)),
    )
    const res = await app.request('/proxy/5')
    expect(await res.text()).toBe('post')
    expect(observed.map((o) => o.labels.route)).toEqual(['/api/posts/:id', '/proxy/:id'])
  })

  it('Should label routes of an app mounted with route() after profiling', async () => {
    const { app, logger, observed } = profiledApp()
    const admin = new Hono()
    admin.get('/users/:name', (c) => c.text(c.req.param('name')))
    app.route('/admin', admin)
    const res = await app.request('/admin/users/ada')
    expect(await res.text()).toBe('ada')
    expect(observed[0]?.labels).toMatchObject({ route: '/admin/users/:name', status: '200' })
    expect(logger.lines.at(-1)?.obj).toMatchObject({ path: '/admin/users/ada' })
  })

  it('Should record a request that fails before routing as an unmatched 500, path without query', () => {
    const logger = memoryLogger()
    const observed: RequestLabels[] = []
    const app = new Hono({
      getPath: () => {
        throw new Error('unreadable path')
      },
    })
    addProfiling(app, {
      service: 'svc',
      log: logThrough(logger),
      observe: (labels) => observed.push(labels),
    })
    app.get('/ping', (c) => c.text('pong'))
    expect(() => app.fetch(new Request('http://localhost:8080/ping?token=secret'))).toThrow(
      'unreadable path',
    )
    expect(observed).toEqual([
      { service: 'svc', method: 'GET', route: UNMATCHED_ROUTE, status: '500' },
    ])
    expect(logger.lines[0]?.obj).toMatchObject({ path: '/ping', status: 500 })
  })
})
