/**
 * @module
 * The private S3 server for tests (s3rver on a free port, one bucket): the
 * development tooling's, re-exported here so unit tests beside service code
 * keep to tests/support (services never import scripts/dev/).
 */
export { type LocalS3, startLocalS3 } from '../../scripts/dev/embedded/s3.ts'
