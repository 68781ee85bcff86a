import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { processCpuSeconds } from '../../scripts/bench/process-cpu.ts'
import { parseWrk } from '../../scripts/bench/wrk.ts'

const WRK_OUTPUT = `Running 3s test @ http://127.0.0.1:41234/ping/1
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  312.45us   9.87ms   91.20%
    Req/Sec    49.51k     2.10k   52.30k    80.00%
  Latency Distribution
     50%  980.00us
     75%    1.10ms
     90%    1.25ms
     99%    2.31ms
  147802 requests in 3.00s, 23.54MB read
  Non-2xx or 3xx responses: 12
Requests/sec:  49245.61
Transfer/sec:      7.84MB
`

describe('parseWrk', () => {
  it('Should read the request count, rate, latency quantiles and failures', () => {
    expect(parseWrk(WRK_OUTPUT)).toEqual({
      requests: 147802,
      requestsPerSecond: 49245.61,
      latencyP50Ms: 0.98,
      latencyP99Ms: 2.31,
      non2xx: 12,
    })
  })

  it('Should refuse output without a rate', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1')).toThrow('cannot read wrk output')
  })
})

describe('processCpuSeconds', () => {
  it.skipIf(process.platform !== 'linux')('Should count the CPU a busy process uses', async () => {
    // Burns 300 ms of its own CPU time, says so, then waits to be read.
    const script = `while (process.cpuUsage().user < 300_000);
      process.stdout.write('done'); setTimeout(() => {}, 30_000)`
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] })
    try {
      await once(child.stdout, 'data')
      expect(await processCpuSeconds(child.pid!)).toBeGreaterThanOrEqual(0.29)
    } finally {
      child.kill()
      await once(child, 'exit')
    }
  })

  it('Should answer undefined for a process that does not exist', async () => {
    expect(await processCpuSeconds(2 ** 22 + 1)).toBeUndefined()
  })
})
