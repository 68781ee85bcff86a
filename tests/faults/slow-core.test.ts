/**
 * A slow dependency: core stops answering behind a proxy. The gateway's call
 * times out (504, tRPC JSON), no request waits forever, and it serves again
 * once core answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type GatewayStack, PERIOD, startGatewayStack } from '../gateway/harness.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'

let stack: GatewayStack
let proxy: TcpProxy

beforeAll(async () => {
  stack = await startGatewayStack('slow_core')
  proxy = await startTcpProxy(Number(new URL(stack.coreUrl).port))
})
afterAll(async () => {
  await proxy.close()
  await stack.close()
})

describe('gateway with a core that stops answering', () => {
  it('Should answer 504 within its deadline, then 200 once core is back', async () => {
    const app = stack.edgeApp({ coreUrl: proxy.url('http'), coreTimeoutMs: 400 })
    const input = encodeURIComponent(JSON.stringify({ id: stack.designIds[0], ...PERIOD }))
    const path = `/trpc/analytics.designSummary?input=${input}`
    expect((await app.request(path)).status).toBe(200)

    proxy.stall()
    const slow = await app.request(path)
    expect(slow.status).toBe(504)
    expect(slow.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(slow.headers.get('ETag')).toBeNull()

    proxy.resume()
    // A fresh connection after the stalled one was abandoned.
    const back = await app.request(path)
    expect(back.status).toBe(200)
  })
})
