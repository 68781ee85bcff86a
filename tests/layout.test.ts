/**
 * The dependency rule of DESIGN.md: edge/ imports nothing from core/,
 * gpu-worker/ or node:*; gpu-worker/ imports from core/ only core/platform/;
 * nothing in core/ imports gpu-worker/.
 */
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..')
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true }).catch(
    () => [],
  )
  return entries
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
}

/** Import specifiers of a file, with relative ones resolved to repo paths. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8')
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2] ?? m[3])!
    return spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec
  })
}

async function violations(dir: string, forbidden: (spec: string) => boolean): Promise<string[]> {
  const found: string[] = []
  for (const file of await sourceFiles(dir)) {
    for (const spec of await importsOf(file)) if (forbidden(spec)) found.push(`${file} -> ${spec}`)
  }
  return found
}

describe('layout', () => {
  it('edge/ imports no node: module, core/ or gpu-worker/', async () => {
    const bad = await violations(
      'edge',
      (spec) =>
        spec.startsWith('node:') || spec.startsWith('core/') || spec.startsWith('gpu-worker/'),
    )
    expect(bad).toEqual([])
  })

  it('gpu-worker/ imports from core/ only core/platform/', async () => {
    const bad = await violations(
      'gpu-worker',
      (spec) => spec.startsWith('core/') && !spec.startsWith('core/platform/'),
    )
    expect(bad).toEqual([])
  })

  it('core/ never imports gpu-worker/', async () => {
    expect(await violations('core', (spec) => spec.startsWith('gpu-worker/'))).toEqual([])
  })

  it('the checker sees imports of every form', async () => {
    // Guards the regex itself: a file in this folder must show up with its imports.
    const specs = await importsOf('tests/layout.test.ts')
    expect(specs).toEqual(expect.arrayContaining(['node:fs/promises', 'vitest']))
  })
})
