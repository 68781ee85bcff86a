import { describe, expect, it } from 'vitest'
import { MAX_STORAGE_KEY_LENGTH, StorageKeyError, storageKeySegments } from './key.ts'

describe('storageKeySegments', () => {
  it('Should split worker keys into segments', () => {
    expect(storageKeySegments('job-1/mockup.png')).toEqual(['job-1', 'mockup.png'])
    expect(storageKeySegments('a_b/c/d.e.webp')).toEqual(['a_b', 'c', 'd.e.webp'])
  })

  it.each([
    '',
    '../x',
    '/etc/passwd',
    'a/../../b',
    'a/./b',
    'a/..',
    '.meta/x.json',
    '.tmp',
    'a//b',
    'a/b/',
    'a\\..\\b',
    'C:/x',
    'a/b c',
    'a/b\0',
    'x'.repeat(MAX_STORAGE_KEY_LENGTH + 1),
  ])('Should refuse %j', (key) => {
    expect(() => storageKeySegments(key)).toThrow(StorageKeyError)
  })
})
