/**
 * @module
 * Reading the model folder's small files with errors that name the file: a
 * missing or malformed export must say which file is wrong.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'

/** Thrown when a model folder lacks a file or holds one the pipeline cannot use. */
export class SdModelError extends Error {
  override readonly name = 'SdModelError'
}

/**
 * Checks that `file` exists.
 * @throws SdModelError naming the file and what it is for
 */
export function requireFile(file: string, what: string): string {
  if (!existsSync(file)) throw new SdModelError(`Missing ${what}: ${file} does not exist`)
  return file
}

/** Reads a text file, failing with its name when absent. */
export async function readTextFile(file: string, what: string): Promise<string> {
  return readFile(requireFile(file, what), 'utf8')
}

/** Reads and validates a JSON file. */
export async function readJsonFile<T>(
  file: string,
  what: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const text = await readTextFile(file, what)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SdModelError(`${file}: not valid JSON (${(err as Error).message})`)
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    throw new SdModelError(`${file}: unexpected content (${parsed.error.message})`)
  }
  return parsed.data
}

/** Like {@link readJsonFile}, but an absent file gives `undefined`. */
export async function readOptionalJsonFile<T>(
  file: string,
  what: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  return existsSync(file) ? readJsonFile(file, what, schema) : undefined
}
