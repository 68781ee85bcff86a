/**
 * @module
 * From zod issues to the `details` of a 400: the one shape every bad input
 * is answered with, `{ field, issues? }` (issues when there are several).
 */
import type { z } from 'zod'
import { ApiError } from '../errors/index.ts'

/** One bad field. */
export interface FieldProblem {
  field: string
  message: string
}

/** `details` of a 400: the first bad field, and every one when there are several. */
export interface InvalidDetails {
  field: string
  issues?: FieldProblem[]
}

/**
 * Names the field of an issue (`root` when the value itself is bad) and
 * prefixes its message with that name unless it already starts with it.
 */
export function describeIssue(issue: z.core.$ZodIssue, root = 'input'): FieldProblem {
  const field = issue.path.length ? issue.path.map(String).join('.') : root
  // Messages written for a field already start with its name ("topic is required").
  const message = issue.message.startsWith(field) ? issue.message : `${field} ${issue.message}`
  return { field, message }
}

/** The `details` of a 400 for `problems`. */
export function invalidDetails(problems: readonly FieldProblem[]): InvalidDetails {
  const field = problems[0]?.field ?? 'input'
  return problems.length > 1 ? { field, issues: [...problems] } : { field }
}

/** Options of {@link invalidInput}. */
export interface InvalidInputOptions {
  /** @defaultValue `invalid_request` */
  code?: string
  /** @defaultValue the first problem's message */
  message?: string
  /** Details kept beside `field` and `issues` (a batch's `items`). */
  extra?: Record<string, unknown>
}

/** The 400 for `problems` (at least one). */
export function invalidInput(
  problems: readonly FieldProblem[],
  options: InvalidInputOptions = {},
): ApiError {
  const message = options.message ?? problems[0]?.message ?? 'input is invalid'
  return new ApiError(400, options.code ?? 'invalid_request', message, {
    ...invalidDetails(problems),
    ...options.extra,
  })
}
