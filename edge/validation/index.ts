/**
 * @module
 * Input validation at the HTTP boundary, the one way a 400 is built: a zod
 * schema either yields typed input or a 400 `ApiError` whose message names
 * the first bad field, with `details.field` always and `details.issues` (every
 * bad field) when there are several.
 */
import type { z } from 'zod'
import { describeIssue, invalidInput } from './issues.ts'

export {
  type BatchRefusal,
  type BatchValidation,
  type ItemProblem,
  validateBatch,
  WHOLE_ITEM,
} from './batch.ts'
export {
  describeIssue,
  type FieldProblem,
  type InvalidDetails,
  type InvalidInputOptions,
  invalidDetails,
  invalidInput,
} from './issues.ts'

/**
 * Parses `input` with `schema`, or throws a 400 with `details: { field, issues? }`.
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
  throw invalidInput(
    result.error.issues.map((issue) => describeIssue(issue)),
    { code },
  )
}
