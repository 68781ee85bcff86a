import { describe, expect, it } from 'vitest'
import { normaliseTopic, scoreQuerySchema } from './query.ts'

describe('normaliseTopic', () => {
  it('Should trim, lower-case and collapse inner whitespace', () => {
    expect(normaliseTopic('  Retro \t  CATS \n')).toBe('retro cats')
    expect(normaliseTopic('Café')).toBe(normaliseTopic('Cafe\u0301'))
  })
})

describe('scoreQuerySchema', () => {
  const fail = (input: object) => {
    const result = scoreQuerySchema.safeParse(input)
    expect(result.success).toBe(false)
    return result.error!.issues.map((i) => `${String(i.path[0])}: ${i.message}`)
  }

  it('Should accept a topic and an optional known product', () => {
    expect(scoreQuerySchema.parse({ topic: ' Retro Cats ' })).toEqual({ topic: 'retro cats' })
    expect(scoreQuerySchema.parse({ topic: 'x', product: 'mug' })).toEqual({
      topic: 'x',
      product: 'mug',
    })
  })

  it.each([
    [{}, 'topic: topic is required'],
    [{ topic: '   ' }, 'topic: topic must not be empty'],
    [{ topic: 'a'.repeat(101) }, 'topic: topic must be at most 100 characters'],
    [{ topic: 'cats\u0000' }, 'topic: topic must be valid UTF-8 text without control characters'],
    [{ topic: 'caf\uFFFD' }, 'topic: topic must be valid UTF-8 text without control characters'],
    [{ topic: 'cats', product: 'sofa' }, 'product: product must be one of shirt, mug, poster'],
  ])('Should refuse %j naming the field', (input, message) => {
    expect(fail(input)).toContain(message)
  })

  it('Should count the length after normalisation', () => {
    expect(scoreQuerySchema.parse({ topic: ` ${'a'.repeat(100)}  ` }).topic).toHaveLength(100)
  })
})
