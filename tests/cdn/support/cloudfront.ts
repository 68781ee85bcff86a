/**
 * @module
 * The parts of a CloudFront DistributionConfig the CDN tests read, and how
 * CloudFront picks a cache behaviour for a request path.
 */

/** A list as CloudFront's API writes it. */
export interface Quantified<T> {
  Quantity: number
  Items?: T[]
}

export interface Origin {
  Id: string
  DomainName: string
  OriginAccessControlId?: string
  S3OriginConfig?: { OriginAccessIdentity: string }
  CustomOriginConfig?: {
    HTTPPort: number
    HTTPSPort: number
    OriginProtocolPolicy: string
    OriginSslProtocols: Quantified<string>
  }
}

export interface CacheBehavior {
  PathPattern?: string
  TargetOriginId: string
  ViewerProtocolPolicy: string
  Compress: boolean
  AllowedMethods: Quantified<string> & { CachedMethods: Quantified<string> }
  ForwardedValues: {
    QueryString: boolean
    Cookies: { Forward: string }
    Headers: Quantified<string>
  }
  MinTTL: number
  DefaultTTL: number
  MaxTTL: number
  FunctionAssociations: Quantified<{ EventType: string; FunctionARN: string }>
}

export interface DistributionConfig {
  CallerReference: string
  Enabled: boolean
  DefaultRootObject: string
  Origins: Quantified<Origin>
  DefaultCacheBehavior: CacheBehavior
  CacheBehaviors: Quantified<CacheBehavior>
  ViewerCertificate: Record<string, unknown>
}

/**
 * A CloudFront path pattern as a RegExp: `*` is any run of characters, `?` one
 * character, matched case-sensitively against the whole path; the leading `/`
 * is optional in the pattern.
 */
export function pathPatternRegExp(pattern: string): RegExp {
  const withSlash = pattern.startsWith('/') ? pattern : `/${pattern}`
  const body = withSlash
    .split('')
    .map((ch) => {
      if (ch === '*') return '.*'
      if (ch === '?') return '.'
      return ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${body}$`)
}

/** The behaviour CloudFront uses for `url` (path and query): the first match in order, else the default. */
export function behaviourFor(config: DistributionConfig, url: string): CacheBehavior {
  const path = url.split('?')[0]!
  const match = (config.CacheBehaviors.Items ?? []).find((b) =>
    pathPatternRegExp(b.PathPattern ?? '').test(path),
  )
  return match ?? config.DefaultCacheBehavior
}

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
