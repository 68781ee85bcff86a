/**
 * @module
 * What must match across runtimes for one response: the status, the headers
 * that matter, and the JSON body less `computedAt` (each runtime computes its
 * own score at its own moment).
 */

/** Headers compared across runtimes (lower case). */
export const COMPARED_HEADERS = [
  'x-cache',
  'x-cache-tier',
  'cache-control',
  'content-type',
] as const

/** A response reduced to what is compared. */
export interface ResponseShape {
  status: number
  headers: Record<string, string | null>
  body: unknown
  /** Kept apart: equal within one runtime's MISS and HIT, never across runtimes. */
  computedAt?: string
}

/** Reads `res` into its {@link ResponseShape}. */
export async function shapeOf(res: Response): Promise<ResponseShape> {
  const headers = Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers.get(h)]))
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`expected a JSON body, got ${res.status}: ${text.slice(0, 200)}`)
  }
  if (typeof body === 'object' && body !== null && 'computedAt' in body) {
    const { computedAt, ...rest } = body as { computedAt: string }
    return { status: res.status, headers, body: rest, computedAt }
  }
  return { status: res.status, headers, body }
}
