/**
 * @module
 * Loading the edge configuration from a plain record (`Deno.env.toObject()`,
 * a Worker's `env`). A bad value throws once, at start, naming each variable.
 */
import type { z } from 'zod'
import { type EdgeConfig, edgeConfigSchema } from './schema.ts'

/** Thrown when the environment does not validate; `problems` has one line per variable. */
export class EdgeConfigError extends Error {
  override readonly name = 'EdgeConfigError'
  constructor(readonly problems: string[]) {
    super(`Invalid edge configuration:\n  ${problems.join('\n  ')}`)
  }
}

function describe(issue: z.core.$ZodIssue): string {
  return `${String(issue.path[0] ?? '(environment)')}: ${issue.message}`
}

/**
 * Validates `env`. Only string values count (a Worker's `env` also holds
 * bindings such as KV namespaces); empty strings mean unset.
 *
 * @throws {EdgeConfigError} naming each bad variable
 */
export function loadEdgeConfig(env: Readonly<Record<string, unknown>>): EdgeConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => typeof value === 'string' && value !== ''),
  )
  const result = edgeConfigSchema.safeParse(present)
  if (!result.success) throw new EdgeConfigError(result.error.issues.map(describe))
  return result.data
}
