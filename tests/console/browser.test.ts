/**
 * The console in a real browser (Debian's chromium driven by playwright-core)
 * against the whole stack started as `npm start` starts it: enter the API key,
 * score a topic, submit a prompt for a product, watch the progress, and see the
 * mock-up image load (through the edge's image proxy) and the benchmark chart
 * drawn from `benchmarks.history`. CSP violations fail the test: the page must
 * work under its own policy. Skipped only when chromium is not installed.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestStack, type TestStack } from '../e2e/stack-harness.ts'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
/** Where the screenshot goes (`CONSOLE_SCREENSHOT=/tmp/console.png`); none when unset. */
const SCREENSHOT = process.env.CONSOLE_SCREENSHOT

let t: TestStack
let profile: string
let context: BrowserContext
let page: Page
const problems: string[] = []

// This project's TypeScript has no DOM types: browser-side values are cast structurally.
/** `naturalWidth` of an `<img>`: above 0 once the image has loaded and decoded. */
const naturalWidth = (img: Locator) =>
  img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)

/** Two persisted benchmark runs, so the chart has a line to draw. */
async function recordBenchmarks(): Promise<void> {
  const columns = `(ran_at, runs, target, uncached_total_s, cached_total_s, uncached_p50_ms,
    uncached_p95_ms, uncached_p99_ms, cached_p50_ms, cached_p95_ms, cached_p99_ms, speedup, runtime)`
  await t.pool.query(
    `INSERT INTO score_benchmarks ${columns} VALUES
      (now() - interval '2 days', 100, 'edge', 1.90, 0.21, 17, 30, 41, 1.8, 3.1, 4.4, 9.0, 'node'),
      (now() - interval '1 day', 100, 'edge', 1.75, 0.19, 16, 28, 39, 1.7, 2.9, 4.0, 9.2, 'node'),
      (now() - interval '1 hour', 100, 'edge', 1.60, 0.25, 15, 26, 35, 2.1, 3.5, 5.0, 6.4, 'node')`,
  )
}

beforeAll(async () => {
  if (!hasChromium) return
  t = await startTestStack('console')
  await recordBenchmarks()
  profile = await mkdtemp(join(tmpdir(), 'console-chromium-'))
  // A new, empty profile: nothing from another run (cache, storage) can help the page.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 1100 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`page: ${err.message}`))
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`)
  })
}, 90_000)

afterAll(async () => {
  await context?.close().catch(() => {})
  await t?.close()
  if (profile) await rm(profile, { recursive: true, force: true })
})

describe.skipIf(!hasChromium)(
  'the console in chromium (skipped: /usr/bin/chromium is absent; apt-get install -y chromium)',
  () => {
    it('Should load under its CSP and draw the benchmark history', async () => {
      const res = await page.goto(`${t.stack.edgeUrl}/`)
      expect(res?.status()).toBe(200)
      expect(await page.title()).toBe('Mock-up console')
      const chart = page.locator('#chart svg')
      await chart.waitFor()
      expect(await chart.getAttribute('role')).toBe('img')
      // Oldest to newest: three points per series, the uncached line above the cached one.
      expect(await page.locator('#chart [data-series="uncached"] circle').count()).toBe(3)
      expect(await page.locator('#chart [data-series="cached"] circle').count()).toBe(3)
      expect(await page.locator('#chart .legend').textContent()).toContain('latest 1.600 s')
      expect(problems).toEqual([])
    })

    it('Should look up a score', async () => {
      await page.getByLabel('Topic').fill(t.topic)
      await page.locator('#score-product').selectOption('shirt')
      await page.getByRole('button', { name: 'Score' }).click()
      const value = page.locator('#score-result .score-value')
      await value.waitFor()
      expect(Number(await value.getAttribute('data-score'))).toBeGreaterThan(0)
      expect(await page.locator('#score-result').textContent()).toContain(t.topic)
    })

    it('Should keep mock-ups locked until a key is given, and keep the key out of the page', async () => {
      expect(await page.locator('#mockup-submit').isDisabled()).toBe(true)
      expect(await page.locator('#gallery-status').textContent()).toContain('Enter an API key')
      await page.getByLabel('API key').fill(t.secret)
      await page.getByRole('button', { name: 'Use key' }).click()
      await page.locator('#key-status', { hasText: 'Key kept for this tab only.' }).waitFor()
      expect(await page.locator('#mockup-submit').isDisabled()).toBe(false)
      expect(await page.getByLabel('API key').inputValue()).toBe('')
      expect(await page.content()).not.toContain(t.secret)
      expect(await page.evaluate("sessionStorage.getItem('mockup-console.api-key')")).toBe(t.secret)
    })

    it('Should submit a prompt, show its progress and the finished mock-up', async () => {
      const statuses: string[] = []
      await page.exposeFunction('recordStatus', (status: string) => statuses.push(status))
      // Every status the job shows, as the user sees it (not only the last one).
      await page.evaluate(`{
        const el = document.getElementById('mockup-status')
        new MutationObserver(() => window.recordStatus(el.dataset.status ?? '')).observe(el, {
          attributes: true,
          childList: true,
        })
      }`)
      await page.getByLabel('Prompt').fill('browser shirt design')
      await page.locator('#mockup-product').selectOption('poster')
      await page.getByLabel('Steps').fill('3')
      await page.getByRole('button', { name: 'Generate' }).click()

      const result = page.locator('#mockup-result img')
      await result.waitFor({ timeout: 60_000 })
      // What the user saw, in order: submitting, queued, (running n%...), completed.
      const seen = statuses.filter((status, i) => status !== statuses[i - 1])
      expect(seen.slice(0, 2)).toEqual(['submitting', 'queued'])
      expect(seen.at(-1)).toBe('completed')
      expect(seen).not.toContain('failed')
      expect(
        await page
          .locator('#mockup-progress')
          .evaluate((el) => (el as unknown as { value: number }).value),
      ).toBe(100)
      await expect.poll(() => naturalWidth(result)).toBeGreaterThan(0)
      const src = await result.getAttribute('src')
      expect(src).toMatch(/^\/mockups\/[0-9a-f-]{36}\/image\.webp$/)

      // The gallery lists it, with a loaded thumbnail from the edge's image route.
      const id = src!.split('/')[2]!
      const thumb = page.locator(`#gallery li[data-id="${id}"] img`)
      await thumb.waitFor()
      await thumb.scrollIntoViewIfNeeded()
      await expect.poll(() => naturalWidth(thumb)).toBeGreaterThan(0)
      expect(await page.locator(`#gallery li[data-id="${id}"]`).textContent()).toContain(
        'browser shirt design',
      )
      expect(problems).toEqual([])
      if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true })
    })
  },
)
