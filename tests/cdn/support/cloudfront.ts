/**
 * @module
 * The parts of a CloudFront DistributionConfig the CDN tests read, and how
 * CloudFront picks a cache behaviour for a request path (shared with the
 * local CDN in scripts/cdn/local-cdn.ts), plus CloudFront's Quantity check.
 */
export {
  behaviourFor,
  type CacheBehavior,
  type DistributionConfig,
  type Origin,
  pathPatternRegExp,
  type Quantified,
} from '../../../scripts/cdn/local-cdn.ts'

/** Checks every `Quantity` against its `Items`, as CloudFront does. */
export function quantityMismatches(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => quantityMismatches(v, `${at}[${i}]`))
  if (typeof value !== 'object' || value === null) return []
  const record = value as Record<string, unknown>
  const own: string[] = []
  if (typeof record.Quantity === 'number') {
    const items = Array.isArray(record.Items) ? record.Items.length : 0
    if (items !== record.Quantity) own.push(`${at}: Quantity ${record.Quantity}, ${items} items`)
  }
  return [
    ...own,
    ...Object.entries(record).flatMap(([k, v]) => quantityMismatches(v, `${at}.${k}`)),
  ]
}
