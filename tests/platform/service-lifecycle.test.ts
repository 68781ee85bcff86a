/**
 * runService's readiness follows the service's life: not ready while start()
 * runs (a GPU worker loading its models), ready once it has finished. The
 * chart's rehearsal found a GPU worker reporting ready before its models
 * had loaded.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/dev/embedded/index.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const dir = await mkdtemp(join(tmpdir(), 'lifecycle-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

async function readyz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined)
    if (res) return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('runService readiness', () => {
  it('Should answer 503 "starting" until start() resolves, then 200; SIGTERM exits 0', async () => {
    const port = await freePort()
    const gate = join(dir, 'gate')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/platform/fixtures/gated-service.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, METRICS_PORT: String(port), GATE_FILE: gate, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
    try {
      const before = await readyz(port)
      expect(before.status).toBe(503)
      expect(before.body).toMatchObject({
        ready: false,
        checks: { lifecycle: { ok: false, error: 'starting' } },
      })
      await writeFile(gate, '')
      let after = await readyz(port)
      while (after.status !== 200) after = await readyz(port)
      expect(after.body).toMatchObject({ ready: true, checks: { lifecycle: { ok: true } } })
      child.kill('SIGTERM')
      const [code] = (await once(child, 'exit')) as [number | null]
      expect(code).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  })
})
