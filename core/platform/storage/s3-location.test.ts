import { describe, expect, it } from 'vitest'
import { bucketUrl, objectUrl, parseS3StorageUrl, type S3Location } from './s3-location.ts'

describe('parseS3StorageUrl', () => {
  it.each([
    ['s3://mockups', { bucket: 'mockups', prefix: '' }],
    ['s3://mockups/', { bucket: 'mockups', prefix: '' }],
    ['s3://my.bucket-1/prod', { bucket: 'my.bucket-1', prefix: 'prod' }],
    ['s3://mockups/env/prod_2/', { bucket: 'mockups', prefix: 'env/prod_2' }],
  ])('Should read %s', (value, expected) => {
    expect(parseS3StorageUrl(value)).toEqual(expected)
  })

  it.each([
    'mockups',
    'http://mockups/x',
    's3://',
    's3://ab',
    's3://Mockups',
    's3://-mockups',
    's3://mockups/../x',
    's3://mockups/a//b',
    's3://mockups/a b',
    's3://mockups/a?b',
    `s3://${'a'.repeat(64)}`,
  ])('Should refuse %j', (value) => {
    expect(() => parseS3StorageUrl(value)).toThrow(TypeError)
  })
})

describe('objectUrl and bucketUrl', () => {
  const aws: S3Location = { bucket: 'mockups', prefix: 'prod', region: 'eu-west-1' }

  it('Should address AWS virtual-host style in its region', () => {
    expect(bucketUrl(aws).href).toBe('https://mockups.s3.eu-west-1.amazonaws.com/')
    expect(objectUrl(aws, 'id-1/mockup.png').href).toBe(
      'https://mockups.s3.eu-west-1.amazonaws.com/prod/id-1/mockup.png',
    )
  })

  it('Should address an endpoint path-style, with or without a prefix', () => {
    const r2: S3Location = {
      bucket: 'mockups',
      prefix: '',
      region: 'auto',
      endpoint: 'https://acct.r2.cloudflarestorage.com/',
    }
    expect(bucketUrl(r2).href).toBe('https://acct.r2.cloudflarestorage.com/mockups')
    expect(objectUrl(r2, 'id-1/mockup.webp').href).toBe(
      'https://acct.r2.cloudflarestorage.com/mockups/id-1/mockup.webp',
    )
    expect(objectUrl({ ...r2, prefix: 'a/b', endpoint: 'http://127.0.0.1:9000' }, 'k').href).toBe(
      'http://127.0.0.1:9000/mockups/a/b/k',
    )
  })
})
