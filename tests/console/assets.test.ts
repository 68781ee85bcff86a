/**
 * `edge/console/assets.generated.ts` is built from `edge/console/src/` and
 * committed (the edge reads no files at run time): this fails when a source
 * changed and nobody ran `npx tsx scripts/build_console.ts`.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONSOLE_GENERATED, CONSOLE_SRC, renderConsoleAssets } from '../../scripts/build_console.ts'

describe('console assets', () => {
  it('Should be up to date with edge/console/src (else: npx tsx scripts/build_console.ts)', async () => {
    expect(await readFile(CONSOLE_GENERATED, 'utf8')).toBe(await renderConsoleAssets())
  })

  it('Should change the hashed name when a source changes, so no cache serves the old file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'console-src-'))
    try {
      for (const file of await readdir(CONSOLE_SRC)) {
        await writeFile(join(dir, file), await readFile(join(CONSOLE_SRC, file), 'utf8'))
      }
      const jsName = (text: string) => text.match(/\/assets\/(app\.[0-9a-f]{12}\.js)/)?.[1]
      const cssName = (text: string) => text.match(/\/assets\/(app\.[0-9a-f]{12}\.css)/)?.[1]
      const before = await renderConsoleAssets(dir)
      // Code, not a comment: the bundler drops comments.
      const append = async (file: string, code: string) =>
        writeFile(join(dir, file), `${await readFile(join(dir, file), 'utf8')}\n${code}\n`)
      await append('app.js', "console.debug('x')")
      const after = await renderConsoleAssets(dir)
      expect(jsName(after)).toBeDefined()
      expect(jsName(after)).not.toBe(jsName(before))
      expect(cssName(after)).toBe(cssName(before))
      // A module app.js imports is bundled into it: changing it renames app.<hash>.js too.
      await append('chart.ts', "export const CHANGED = 'x'\nconsole.debug(CHANGED)")
      const afterChart = await renderConsoleAssets(dir)
      expect(jsName(afterChart)).toBeDefined()
      expect(jsName(afterChart)).not.toBe(jsName(after))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('Should refuse a page that does not reference its assets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'console-src-'))
    try {
      await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>')
      await writeFile(join(dir, 'app.js'), '')
      await writeFile(join(dir, 'app.css'), '')
      await expect(renderConsoleAssets(dir)).rejects.toThrow(/does not reference "\.\/app\.js"/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
