/**
 * scripts/configure_cdn.sh against a stub `aws` (tests/cdn/support/aws-stub.ts):
 * the exact distribution configuration it sends, the Origin Access Control,
 * the 404 function for internal paths, the bucket policy, the printed ID, and
 * its errors (usage, no aws, no credentials, a failing call).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { scoreHttpCaching } from '../../edge/score/index.ts'
import {
  type AwsReply,
  type AwsStub,
  createAwsStub,
  runScript,
  type ScriptResult,
} from './support/aws-stub.ts'
import {
  behaviourFor,
  type CacheBehavior,
  type DistributionConfig,
  quantityMismatches,
} from './support/cloudfront.ts'

const BUCKET = 'mockup-assets'
const ORIGIN = 'api.example.com'
const ACCOUNT = '123456789012'
const DIST_ID = 'E2QWRUHAPOMQZL'
const OAC_ID = 'E1OACEXAMPLE01'
const FUNCTION_NAME = `deny-internal-${BUCKET}`
const FUNCTION_ARN = `arn:aws:cloudfront::${ACCOUNT}:function/${FUNCTION_NAME}`

// What the real CLI prints for the --query/--output text each call asks for.
const REPLIES: Record<string, AwsReply> = {
  'sts get-caller-identity': { stdout: `${ACCOUNT}\n` },
  's3api get-bucket-location': { stdout: 'eu-west-1\n' },
  'cloudfront list-origin-access-controls': { stdout: 'None\n' },
  'cloudfront create-origin-access-control': { stdout: `${OAC_ID}\n` },
  'cloudfront describe-function': {
    stderr:
      '\nAn error occurred (NoSuchFunctionExists) when calling the DescribeFunction operation: The function does not exist.\n',
    status: 254,
  },
  'cloudfront create-function': { stdout: 'ETVPDKIKX0DER\n' },
  'cloudfront publish-function': { stdout: `${FUNCTION_ARN}\n` },
  'cloudfront create-distribution': { stdout: `${DIST_ID}\n` },
  's3api get-bucket-policy': {
    stderr:
      '\nAn error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist\n',
    status: 254,
  },
  's3api put-bucket-policy': { stdout: '' },
}

const stubs: AwsStub[] = []
function stub(options: Parameters<typeof createAwsStub>[0] = {}): AwsStub {
  const s = createAwsStub({ replies: REPLIES, ...options })
  stubs.push(s)
  return s
}
afterEach(() => {
  for (const s of stubs.splice(0)) s.cleanup()
})

const configure = (s: AwsStub, ...args: string[]) => runScript('configure_cdn.sh', args, s)
const sentConfig = (s: AwsStub) =>
  s.sentJson('cloudfront create-distribution') as DistributionConfig
const names = (s: AwsStub) => s.calls().map((c) => `${c.args[0]} ${c.args[1]}`)

/** A GET/HEAD behaviour cached by path alone, to `origin`, `ttl` s when the origin says nothing. */
const STATIC = (origin: 'edge' | 's3-images', ttl: number): Omit<CacheBehavior, 'PathPattern'> => ({
  TargetOriginId: origin,
  ViewerProtocolPolicy: 'redirect-to-https',
  Compress: true,
  AllowedMethods: {
    Quantity: 2,
    Items: ['GET', 'HEAD'],
    CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] },
  },
  ForwardedValues: {
    QueryString: false,
    Cookies: { Forward: 'none' },
    Headers: { Quantity: 0 },
  },
  MinTTL: 0,
  DefaultTTL: ttl,
  MaxTTL: 31_536_000,
  FunctionAssociations: { Quantity: 0 },
})

const API = (pattern: string): CacheBehavior => ({
  PathPattern: pattern,
  TargetOriginId: 'edge',
  ViewerProtocolPolicy: 'redirect-to-https',
  Compress: true,
  AllowedMethods: {
    Quantity: 7,
    Items: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
    CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] },
  },
  ForwardedValues: {
    QueryString: true,
    Cookies: { Forward: 'none' },
    Headers: { Quantity: 2, Items: ['Authorization', 'If-None-Match'] },
  },
  MinTTL: 0,
  DefaultTTL: 0,
  MaxTTL: 31_536_000,
  FunctionAssociations: { Quantity: 0 },
})

/** /score: public, keyed on its two query strings alone, the origin's Cache-Control deciding. */
const SCORE = {
  ...API('/score*'),
  AllowedMethods: {
    Quantity: 3,
    Items: ['GET', 'HEAD', 'OPTIONS'],
    CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] },
  },
  ForwardedValues: {
    QueryString: true,
    Cookies: { Forward: 'none' },
    Headers: { Quantity: 0 },
    QueryStringCacheKeys: { Quantity: 2, Items: ['topic', 'product'] },
  },
}

const DENY = (pattern: string): CacheBehavior => ({
  ...STATIC('s3-images', 0),
  PathPattern: pattern,
  DefaultTTL: 0,
  MaxTTL: 0,
  FunctionAssociations: {
    Quantity: 1,
    Items: [{ EventType: 'viewer-request', FunctionARN: FUNCTION_ARN }],
  },
})

describe('configure_cdn.sh', () => {
  // One successful run, read by every test of this block: the script forks
  // a few dozen processes, slow on a busy machine.
  let ok: { stub: AwsStub; run: ScriptResult }
  beforeAll(() => {
    const s = createAwsStub({ replies: REPLIES })
    ok = { stub: s, run: configure(s, BUCKET, ORIGIN) }
    if (ok.run.status !== 0) throw new Error(`configure_cdn.sh failed: ${ok.run.stderr}`)
  })
  afterAll(() => ok?.stub.cleanup())

  test('Should print only the distribution ID on stdout, progress on stderr', () => {
    const { run } = ok
    expect(run.stderr).not.toContain('aws stub')
    expect(run.status).toBe(0)
    expect(run.stdout).toBe(`${DIST_ID}\n`)
    expect(run.stderr).toContain(`created distribution ${DIST_ID}`)
  })

  test('Should check credentials first, then create OAC, function, distribution and grant the bucket', () => {
    const s = ok.stub
    expect(names(s)).toEqual([
      'sts get-caller-identity',
      's3api get-bucket-location',
      'cloudfront list-origin-access-controls',
      'cloudfront create-origin-access-control',
      'cloudfront describe-function',
      'cloudfront create-function',
      'cloudfront publish-function',
      'cloudfront create-distribution',
      's3api get-bucket-policy',
      's3api put-bucket-policy',
    ])
    expect(s.call('cloudfront create-distribution').args).toEqual(
      expect.arrayContaining(['--query', 'Distribution.Id', '--output', 'text']),
    )
    expect(s.call('cloudfront publish-function').args).toEqual(
      expect.arrayContaining(['--name', FUNCTION_NAME, '--if-match', 'ETVPDKIKX0DER']),
    )
  })

  test('Should send two origins: the private bucket through the OAC and the edge over HTTPS only', () => {
    const s = ok.stub
    const config = sentConfig(s)
    expect(config.Origins).toEqual({
      Quantity: 2,
      Items: [
        {
          Id: 's3-images',
          DomainName: `${BUCKET}.s3.eu-west-1.amazonaws.com`,
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          // Empty OAI: access is the OAC's, the bucket is not public.
          S3OriginConfig: { OriginAccessIdentity: '' },
          OriginAccessControlId: OAC_ID,
        },
        {
          Id: 'edge',
          DomainName: ORIGIN,
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: 'https-only',
            OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
            OriginReadTimeout: 30,
            OriginKeepaliveTimeout: 5,
          },
        },
      ],
    })
    expect(s.sentJson('cloudfront create-origin-access-control')).toEqual({
      Name: `oac-${BUCKET}`,
      Description: expect.any(String),
      SigningProtocol: 'sigv4',
      SigningBehavior: 'always',
      OriginAccessControlOriginType: 's3',
    })
  })

  test('Should send the default behaviour (the console page) to the edge, with no root object', () => {
    const s = ok.stub
    const config = sentConfig(s)
    // Default TTL 0: the page is no-cache and a 404 without Cache-Control is not kept.
    expect(config.DefaultCacheBehavior).toMatchObject(STATIC('edge', 0))
    // A root object would turn / into /index.html, which the edge does not serve.
    expect(config.DefaultRootObject).toBe('')
    expect(config.Enabled).toBe(true)
    expect(config.ViewerCertificate).toEqual({ CloudFrontDefaultCertificate: true })
  })

  test('Should send the internal-path, API, static and image behaviours, the internal ones first', () => {
    const s = ok.stub
    const config = sentConfig(s)
    expect(config.CacheBehaviors.Quantity).toBe(7)
    const items = config.CacheBehaviors.Items ?? []
    expect(items.map((b) => b.PathPattern)).toEqual([
      '/metrics*',
      '/admin*',
      '/score*',
      '/trpc/*',
      '/assets/*',
      '/mockups/*',
      '/mockup-images/*',
    ])
    expect(items[0]).toMatchObject(DENY('/metrics*'))
    expect(items[1]).toMatchObject(DENY('/admin*'))
    expect(items[2]).toMatchObject(SCORE)
    expect(items[3]).toMatchObject(API('/trpc/*'))
    expect(items[4]).toMatchObject(STATIC('edge', 3600))
    expect(items[5]).toMatchObject(STATIC('edge', 3600))
    expect(items[6]).toMatchObject(STATIC('s3-images', 3600))
    expect(quantityMismatches(config)).toEqual([])
  })

  test("Should cache /score once for every caller, for as long as the edge's Cache-Control says", () => {
    const score = (sentConfig(ok.stub).CacheBehaviors.Items ?? []).find(
      (b) => b.PathPattern === '/score*',
    )!
    // No header in the key: an Authorization would give each caller a copy of one public answer.
    expect(score.ForwardedValues.Headers).toEqual({ Quantity: 0 })
    // Nothing of CloudFront's own: no floor, and no answer kept that did not ask to be.
    expect([score.MinTTL, score.DefaultTTL]).toEqual([0, 0])
    const caching = scoreHttpCaching({ ttlSeconds: 86_400, softTtlSeconds: 86_399 })
    for (const seconds of Object.values(caching)) {
      expect(seconds).toBeLessThanOrEqual(score.MaxTTL)
    }
  })

  test.each([
    ['/metrics', 'deny'],
    ['/metrics/', 'deny'],
    ['/admin', 'deny'],
    ['/admin/keys?x=1', 'deny'],
    ['/score?topic=retro%20cats', 'api'],
    ['/trpc/score.get?input=%7B%7D', 'api'],
    ['/trpc/analytics.topDesigns,mockups.list?batch=1', 'api'],
    ['/', 'edge'],
    ['/assets/app.3f9a1c.js', 'edge'],
    ['/mockups/2024/abc.webp', 'edge'],
    ['/mockup-images/2024/abc.webp', 'bucket'],
    ['/index.html', 'edge'],
    ['/healthz', 'edge'],
  ])('Should route %s to %s', (path, expected) => {
    const s = ok.stub
    const behaviour = behaviourFor(sentConfig(s), path)
    const kind =
      behaviour.FunctionAssociations.Quantity > 0
        ? 'deny'
        : behaviour.TargetOriginId === 's3-images'
          ? 'bucket'
          : behaviour.ForwardedValues.QueryString
            ? 'api'
            : 'edge'
    expect(kind).toBe(expected)
  })

  test('Should never route /metrics or /admin to the edge', () => {
    const s = ok.stub
    const config = sentConfig(s)
    for (const path of ['/metrics', '/admin', '/admin/x']) {
      const behaviour = behaviourFor(config, path)
      expect(behaviour.TargetOriginId).toBe('s3-images')
      expect(behaviour.FunctionAssociations.Quantity).toBe(1)
    }
  })

  test('Should put the images behaviour at --images-prefix, and refuse a prefix the edge serves', () => {
    const s = stub()
    expect(configure(s, '--images-prefix', 'prod/img', BUCKET, ORIGIN).status).toBe(0)
    const items = sentConfig(s).CacheBehaviors.Items ?? []
    expect(items.at(-1)).toMatchObject({ PathPattern: '/prod/img/*', TargetOriginId: 's3-images' })
    for (const bad of ['mockups', 'assets/x', 'trpc', 'a b', '/lead']) {
      const t = stub()
      const run = configure(t, '--images-prefix', bad, BUCKET, ORIGIN)
      expect(run.status, bad).toBe(2)
      expect(run.stderr).toContain('not an images prefix')
      expect(t.calls()).toEqual([])
    }
  })

  test('Should create the 404 function as cloudfront-js-2.0 and publish it', () => {
    const s = ok.stub
    const create = s.call('cloudfront create-function')
    const [config, code] = Object.values(create.files)
    expect(JSON.parse(config!)).toMatchObject({ Runtime: 'cloudfront-js-2.0' })
    expect(code).toMatch(/function handler\(_?event\)/)
    expect(code).toContain('statusCode: 404')
    // The handler runs as-is: every request it sees is answered 404.
    const handler = new Function(`${code}; return handler`)() as (e: unknown) => {
      statusCode: number
    }
    expect(handler({ request: { uri: '/metrics' } }).statusCode).toBe(404)
  })

  test('Should give the new distribution, and only it, read access to the bucket', () => {
    const s = ok.stub
    expect(s.sentJson('s3api put-bucket-policy')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: `CloudFrontRead-${DIST_ID}`,
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: {
            StringEquals: {
              'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/${DIST_ID}`,
            },
          },
        },
      ],
    })
  })

  test('Should use a new CallerReference on every run', () => {
    const s = stub()
    expect(configure(s, BUCKET, ORIGIN).status).toBe(0)
    const refs = [sentConfig(ok.stub), sentConfig(s)].map((c) => c.CallerReference)
    expect(refs[0]).toMatch(/^configure_cdn-mockup-assets-\d+-\d+-\d+$/)
    expect(refs[1]).toMatch(/^configure_cdn-mockup-assets-\d+-\d+-\d+$/)
    expect(refs[0]).not.toBe(refs[1])
  })

  test('Should reuse an existing OAC and function instead of creating them again', () => {
    const s = stub({
      replies: {
        ...REPLIES,
        'cloudfront list-origin-access-controls': { stdout: `${OAC_ID}\n` },
        'cloudfront describe-function': { stdout: `${FUNCTION_ARN}\n` },
      },
    })
    expect(configure(s, BUCKET, ORIGIN).status).toBe(0)
    expect(names(s)).not.toContain('cloudfront create-origin-access-control')
    expect(names(s)).not.toContain('cloudfront create-function')
    expect(s.call('cloudfront list-origin-access-controls').args).toContain(
      `OriginAccessControlList.Items[?Name=='oac-${BUCKET}'].Id | [0]`,
    )
    const config = sentConfig(s)
    expect(config.Origins.Items?.[0]?.OriginAccessControlId).toBe(OAC_ID)
    expect(config.CacheBehaviors.Items?.[0]?.FunctionAssociations.Items?.[0]?.FunctionARN).toBe(
      FUNCTION_ARN,
    )
  })

  test('Should take us-east-1 when S3 reports no location constraint, and --region over asking S3', () => {
    const s = stub({ replies: { ...REPLIES, 's3api get-bucket-location': { stdout: 'None\n' } } })
    expect(configure(s, BUCKET, ORIGIN).status).toBe(0)
    expect(sentConfig(s).Origins.Items?.[0]?.DomainName).toBe(
      `${BUCKET}.s3.us-east-1.amazonaws.com`,
    )

    // The origin domain is lower-cased on the way.
    const t = stub()
    expect(configure(t, '--region', 'ap-south-1', BUCKET, 'API.Example.COM').status).toBe(0)
    expect(names(t)).not.toContain('s3api get-bucket-location')
    const origins = sentConfig(t).Origins.Items ?? []
    expect(origins.map((o) => o.DomainName)).toEqual([
      `${BUCKET}.s3.ap-south-1.amazonaws.com`,
      ORIGIN,
    ])
  })

  describe('When the bucket already has a policy', () => {
    const existing = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Keep', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
    }
    const replies = {
      ...REPLIES,
      's3api get-bucket-policy': { stdout: `${JSON.stringify(existing)}\n` },
    }

    test('Should add its statement and keep the others (jq)', (ctx) => {
      const s = stub({ replies })
      if (!s.hasJq) ctx.skip('jq is not installed: the policy merge needs it')
      expect(configure(s, BUCKET, ORIGIN).status).toBe(0)
      const policy = s.sentJson('s3api put-bucket-policy') as typeof existing
      expect(policy.Statement.map((st) => st.Sid)).toEqual(['Keep', `CloudFrontRead-${DIST_ID}`])
    })

    test('Should not overwrite it without jq, and print the statement to add', () => {
      const s = stub({ replies, withJq: false })
      const run = configure(s, BUCKET, ORIGIN)
      expect(run.status).toBe(0)
      expect(run.stdout).toBe(`${DIST_ID}\n`)
      expect(names(s)).not.toContain('s3api put-bucket-policy')
      expect(run.stderr).toContain('jq is not installed')
      expect(run.stderr).toContain(
        `"AWS:SourceArn": "arn:aws:cloudfront::${ACCOUNT}:distribution/${DIST_ID}"`,
      )
    })
  })

  describe('When the arguments are wrong', () => {
    test.each([
      [[]],
      [[BUCKET]],
      [[BUCKET, ORIGIN, 'extra']],
      [['--bogus', BUCKET, ORIGIN]],
      [['--region']],
      [['--region', 'mars', BUCKET, ORIGIN]],
      // Bucket naming rules.
      [['ab', ORIGIN]],
      [['Mockup-Assets', ORIGIN]],
      [['-assets', ORIGIN]],
      [['assets-', ORIGIN]],
      [['my..bucket', ORIGIN]],
      [['192.168.1.1', ORIGIN]],
      [['xn--bucket', ORIGIN]],
      [['my_bucket', ORIGIN]],
      [['a'.repeat(64), ORIGIN]],
      // Host names only: no scheme, path, port, IP address or bare label.
      [[BUCKET, 'https://api.example.com']],
      [[BUCKET, 'api.example.com/score']],
      [[BUCKET, 'api.example.com:443']],
      [[BUCKET, '10.0.0.1']],
      [[BUCKET, 'localhost']],
      [[BUCKET, '-api.example.com']],
      [[BUCKET, 'api..example.com']],
      [[BUCKET, 'd111111abcdef8.cloudfront.net']],
    ])('Should exit 2 with the usage for %j, calling nothing', (args) => {
      const s = stub()
      const run = configure(s, ...args)
      expect(run.status).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toContain('Usage: configure_cdn.sh')
      expect(s.calls()).toEqual([])
    })

    test('Should print the usage and exit 0 for --help', () => {
      const run = configure(stub(), '--help')
      expect(run.status).toBe(0)
      expect(run.stderr).toContain('Usage: configure_cdn.sh')
    })
  })

  test('Should exit 127 saying so when aws is not installed', () => {
    const s = stub({ withAws: false })
    const run = configure(s, BUCKET, ORIGIN)
    expect(run.status).toBe(127)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('the AWS CLI (aws) is not on PATH')
  })

  test('Should exit 3 before creating anything when aws has no credentials', () => {
    const s = stub({
      replies: {
        ...REPLIES,
        'sts get-caller-identity': {
          stderr:
            '\nUnable to locate credentials. You can configure credentials by running "aws configure".\n',
          status: 253,
        },
      },
    })
    const run = configure(s, BUCKET, ORIGIN)
    expect(run.status).toBe(3)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('the AWS CLI is not configured')
    expect(run.stderr).toContain('Unable to locate credentials')
    expect(names(s)).toEqual(['sts get-caller-identity'])
  })

  test('Should exit 1 with the CLI message when creating the distribution fails', () => {
    const s = stub({
      replies: {
        ...REPLIES,
        'cloudfront create-distribution': {
          stderr:
            '\nAn error occurred (AccessDenied) when calling the CreateDistribution operation: denied\n',
          status: 254,
        },
      },
    })
    const run = configure(s, BUCKET, ORIGIN)
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('aws cloudfront create-distribution failed')
    expect(run.stderr).toContain('AccessDenied')
    expect(names(s)).not.toContain('s3api put-bucket-policy')
  })

  test('Should stop when describe-function fails for another reason than a missing function', () => {
    const s = stub({
      replies: {
        ...REPLIES,
        'cloudfront describe-function': {
          stderr:
            '\nAn error occurred (AccessDenied) when calling the DescribeFunction operation\n',
          status: 254,
        },
      },
    })
    const run = configure(s, BUCKET, ORIGIN)
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('describe-function failed')
    expect(names(s)).not.toContain('cloudfront create-distribution')
  })

  test('Should print, under --dry-run, the same configuration and call nothing', () => {
    const dry = stub({ withAws: false })
    const run = configure(dry, '--dry-run', '--region', 'eu-west-1', BUCKET, ORIGIN)
    expect(run.status).toBe(0)
    const printed = JSON.parse(run.stdout) as DistributionConfig

    const real = stub()
    expect(configure(real, BUCKET, ORIGIN).status).toBe(0)
    const sent = sentConfig(real)
    // Only the placeholders for what AWS would have created differ.
    const normalise = (text: string) =>
      text
        .replaceAll('DRY-RUN-OAC-ID', OAC_ID)
        .replaceAll('000000000000', ACCOUNT)
        .replace(/"CallerReference":"[^"]*"/, '"CallerReference":""')
    expect(normalise(JSON.stringify(printed))).toBe(normalise(JSON.stringify(sent)))
  })
})
