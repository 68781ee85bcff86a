/** @module Finding executables on PATH and in known install folders. */
import { access, constants, readdir } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  )
}

/** The first `name` on PATH, then in `extraDirs`, or undefined. */
export async function findExecutable(
  name: string,
  extraDirs: string[] = [],
): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs]
  for (const dir of dirs) {
    const candidate = join(dir, name)
    if (await executable(candidate)) return candidate
  }
  return undefined
}

/** Debian's versioned PostgreSQL bin folders, newest first. */
export async function postgresBinDirs(root = '/usr/lib/postgresql'): Promise<string[]> {
  const versions = await readdir(root).catch(() => [] as string[])
  return versions
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
}
