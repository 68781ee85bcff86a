/**
 * The dependency rules of DESIGN.md: edge/ imports nothing from core/,
 * gpu-worker/ or node:*; gpu-worker/ imports from core/ only core/platform/;
 * nothing in core/ imports gpu-worker/; nothing outside scripts/ and tests/
 * imports scripts/ (an engine a service needs lives in core/); the
 * development tooling in scripts/dev/ (local bridges, embedded servers,
 * demo-data generators) is imported by no service: only `npm start`, scripts
 * and tests use it. A folder a rule checks that is missing or holds no source
 * fails the rule: an empty scan would pass it without checking anything.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..')
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/

/** Folders no rule reads: dependencies, and dot-folders (git, caches, `.data`). */
const skipped = (name: string) => name === 'node_modules' || name.startsWith('.')

/** Source files below `dir` (paths relative to `root`), pruning {@link skipped} folders. */
async function walk(dir: string, root = ROOT): Promise<string[]> {
  const files: string[] = []
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && !skipped(entry.name)) files.push(...(await walk(path, root)))
    else if (entry.isFile() && SOURCE.test(entry.name)) files.push(path)
  }
  return files
}

/**
 * Source files of `dir`.
 * @throws {Error} when the folder is missing or holds none: the rule would check nothing.
 */
async function sourceFiles(dir: string, root = ROOT): Promise<string[]> {
  const files = await walk(dir, root).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT'
      ? new Error(`${dir}/ is missing: the layout rule has nothing to check`)
      : err
  })
  if (files.length === 0)
    throw new Error(`${dir}/ holds no source files: the layout rule has nothing to check`)
  return files
}

/** A specifier as a repo path when it is relative (`../scripts/x.ts` from core/a.ts is `scripts/x.ts`). */
const resolveSpec = (file: string, spec: string) =>
  spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : spec

/** Import specifiers of a file, with relative ones resolved to repo paths. */
async function importsOf(file: string, root = ROOT): Promise<string[]> {
  const text = await readFile(join(root, file), 'utf8')
  return [...text.matchAll(IMPORT)].map((m) => resolveSpec(file, (m[1] ?? m[2] ?? m[3] ?? m[4])!))
}

async function violations(
  files: readonly string[],
  forbidden: (spec: string) => boolean,
  root = ROOT,
): Promise<string[]> {
  const found: string[] = []
  for (const file of files) {
    for (const spec of await importsOf(file, root))
      if (forbidden(spec)) found.push(`${file} -> ${spec}`)
  }
  return found
}

/** Every source file of the repository outside scripts/ and tests/ (root files included). */
async function filesOutsideScriptsAndTests(): Promise<string[]> {
  const files = (await walk('.')).filter((f) => !/^(scripts|tests)\//.test(f))
  for (const dir of ['edge', 'core', 'gpu-worker']) await sourceFiles(dir)
  return files
}

/** The development tooling: local bridges, embedded servers, demo-data generators. */
const TOOLING = 'scripts/dev'
/** The services' folders, which never import {@link TOOLING}. */
const SERVICES = ['edge', 'core', 'gpu-worker'] as const

/** Imports of {@link TOOLING} from the {@link SERVICES} below `root`. */
async function toolingImports(root = ROOT): Promise<string[]> {
  const files: string[] = []
  for (const dir of SERVICES) files.push(...(await sourceFiles(dir, root)))
  return violations(files, (spec) => spec === TOOLING || spec.startsWith(`${TOOLING}/`), root)
}

describe('layout', () => {
  it('edge/ imports no node: module, core/ or gpu-worker/', async () => {
    const bad = await violations(
      await sourceFiles('edge'),
      (spec) =>
        spec.startsWith('node:') || spec.startsWith('core/') || spec.startsWith('gpu-worker/'),
    )
    expect(bad).toEqual([])
  })

  it('gpu-worker/ imports from core/ only core/platform/', async () => {
    const bad = await violations(
      await sourceFiles('gpu-worker'),
      (spec) => spec.startsWith('core/') && !spec.startsWith('core/platform/'),
    )
    expect(bad).toEqual([])
  })

  it('core/ never imports gpu-worker/', async () => {
    const bad = await violations(await sourceFiles('core'), (spec) =>
      spec.startsWith('gpu-worker/'),
    )
    expect(bad).toEqual([])
  })

  it('nothing outside scripts/ and tests/ imports scripts/', async () => {
    // scripts/ is what the rule protects: it must be there to be protected.
    await sourceFiles('scripts')
    const bad = await violations(await filesOutsideScriptsAndTests(), (spec) =>
      spec.startsWith('scripts/'),
    )
    expect(bad).toEqual([])
  })

  it('no service (edge/, core/, gpu-worker/) imports the development tooling in scripts/dev/', async () => {
    // The tooling must be there to be protected.
    for (const dir of ['bridges', 'embedded', 'demo-data']) await sourceFiles(`${TOOLING}/${dir}`)
    expect(
      await toolingImports(),
      'development tooling (scripts/dev/: bridges, embedded servers, demo data) is for npm start, scripts and tests only; what a service needs belongs in core/',
    ).toEqual([])
  })

  it('the tooling rule fails on a planted import', async () => {
    const root = await mkdtemp(join(tmpdir(), 'layout-'))
    try {
      for (const dir of ['edge', 'core/platform', 'gpu-worker'])
        await mkdir(join(root, dir), { recursive: true })
      await writeFile(join(root, 'edge/app.ts'), 'export const ok = 1\n')
      await writeFile(
        join(root, 'core/platform/x.ts'),
        "import { freePort } from '../../scripts/dev/embedded/index.ts'\nexport { freePort }\n",
      )
      await writeFile(
        join(root, 'gpu-worker/y.ts'),
        "export const seed = () => import('../scripts/dev/demo-data/index.ts')\n",
      )
      expect(await toolingImports(root)).toEqual([
        'core/platform/x.ts -> scripts/dev/embedded/index.ts',
        'gpu-worker/y.ts -> scripts/dev/demo-data/index.ts',
      ])
    } finally {
      await rm(root, { recursive: true })
    }
  })

  it('the checker sees imports of every form, and the whole tree', async () => {
    // Guards the regex itself: a file in this folder must show up with its imports.
    const specs = await importsOf('tests/layout.test.ts')
    expect(specs).toEqual(expect.arrayContaining(['node:fs/promises', 'vitest']))
    // A relative import of a script, as core/benchmarks/processor.ts once had, is caught.
    expect(resolveSpec('core/benchmarks/processor.ts', '../../scripts/benchmark_score.ts')).toBe(
      'scripts/benchmark_score.ts',
    )
    const outside = await filesOutsideScriptsAndTests()
    expect(outside).toEqual(
      expect.arrayContaining(['vitest.config.ts', 'core/server.ts', 'edge/app.ts']),
    )
    expect(
      outside.filter((f) => /^(scripts|tests|node_modules)\/|\/node_modules\//.test(f)),
    ).toEqual([])
  })

  it('fails a rule whose folder is missing or empty', async () => {
    const root = await mkdtemp(join(tmpdir(), 'layout-'))
    try {
      await expect(sourceFiles('core', root)).rejects.toThrow(
        'core/ is missing: the layout rule has nothing to check',
      )
      // A folder with files, none of them source, checks nothing either.
      await writeFile(join(root, 'README.md'), '# notes\n')
      await expect(sourceFiles('.', root)).rejects.toThrow('./ holds no source files')
    } finally {
      await rm(root, { recursive: true })
    }
  })
})
