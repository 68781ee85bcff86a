/**
 * @module
 * Loading the configuration: a bad value is reported naming the variable and
 * what it expects, and the process stops before it serves anything.
 */
import type { z } from 'zod'
import { type Config, configSchema } from './schema.ts'

/** Thrown when the environment does not validate; `problems` has one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const variable = String(issue.path[0] ?? '(environment)')
  return `${variable}: ${issue.message}`
}

/**
 * Validates `env` (default `process.env`) against the schema.
 *
 * @throws {ConfigError} naming each bad variable
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" the way shells and Helm values usually produce them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const result = configSchema.safeParse(present)
  if (!result.success) throw new ConfigError(result.error.issues.map(describe))
  // The cache Redis is the queue Redis unless configured apart.
  return { ...result.data, CACHE_REDIS_URL: result.data.CACHE_REDIS_URL ?? result.data.REDIS_URL }
}

/**
 * Entry-file helper: loads the configuration or prints the problems and exits 78
 * (EX_CONFIG), so a misconfigured pod fails fast with a readable message.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\n`)
    process.exit(78)
  }
}
