/**
 * @module
 * The default model set: when no MODEL_DIR is configured, the tiny set is
 * generated once into a fixed folder and reused. Several processes may start
 * together (worker replicas, the CLI), so the set is written to a private
 * folder and moved into place with one rename: readers never see half a set.
 */
import { existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { type TinySdOptions, writeTinySdModelSet } from './write-tiny-set.ts'

/**
 * Makes sure `dir` holds a model set, writing the tiny one if it has none.
 * @returns whether the tiny set was written now
 * @example
 * await ensureTinySdModelSet('.data/models/tiny-sd')
 */
export async function ensureTinySdModelSet(
  dir: string,
  options: TinySdOptions = {},
): Promise<boolean> {
  if (existsSync(join(dir, 'model_index.json'))) return false
  await mkdir(dirname(dir), { recursive: true })
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`
  try {
    await writeTinySdModelSet(staging, options)
    await rename(staging, dir)
    return true
  } catch (err) {
    // Another process may have put its set in place first: theirs is as good as ours.
    if (existsSync(join(dir, 'model_index.json'))) return false
    throw err
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/** Where the tiny set lives when no model folder is configured (gitignored `.data/`). */
export const TINY_MODEL_DIR = resolve(import.meta.dirname, '../../../.data/models/tiny-sd')

/**
 * The model folder to use: `configured` (MODEL_DIR, --model-dir) as it is, else
 * the tiny set, generated on first use (`onGenerated` is told when it was).
 */
export async function resolveModelDir(
  configured: string | undefined,
  onGenerated?: (dir: string) => void,
): Promise<string> {
  if (configured) return resolve(configured)
  if (await ensureTinySdModelSet(TINY_MODEL_DIR)) onGenerated?.(TINY_MODEL_DIR)
  return TINY_MODEL_DIR
}
