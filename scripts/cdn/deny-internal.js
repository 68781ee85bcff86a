// CloudFront Function (cloudfront-js-2.0), viewer-request, attached by
// scripts/configure_cdn.sh to the /metrics* and /admin* behaviours only: every
// request there is answered here and never forwarded to an origin.
// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls it by name
function handler(_event) {
  return {
    statusCode: 404,
    statusDescription: 'Not Found',
    headers: { 'cache-control': { value: 'no-store' } },
  }
}
