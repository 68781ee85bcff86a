/**
 * @module
 * Input validation at the HTTP boundary: a zod schema either yields typed
 * input or a 400 `ApiError` whose message names the first bad field and whose
 * details list every one.
 */
import type { z } from 'zod'
import { ApiError } from '../errors/index.ts'

/** One bad field. */
export interface FieldProblem {
  field: string
  message: string
}

function describe(issue: z.core.$ZodIssue): FieldProblem {
  const field = issue.path.length ? issue.path.map(String).join('.') : 'input'
  // Messages written for a field already start with its name ("topic is required").
  const message = issue.message.startsWith(field) ? issue.message : `${field} ${issue.message}`
  return { field, message }
}

/**
 * Parses `input` with `schema`, or throws a 400 with `details: { field, fields }`.
 *
 * @example
 * const query = validate(summaryInput, { ...c.req.param(), ...c.req.query() })
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code = 'invalid_request',
): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const fields = result.error.issues.map(describe)
  throw new ApiError(400, code, fields[0]!.message, { field: fields[0]!.field, fields })
}
