import { describe, expect, it } from 'vitest'
import { KEYS_PER_TOPIC, scoreQueries, scoreUrl } from './score-queries.ts'

describe('scoreQueries', () => {
  it('Should give each topic alone, then with each product, once per normalised topic', () => {
    expect(scoreQueries(['Retro  Cats', 'retro cats', 'boho frogs'])).toEqual([
      { topic: 'retro cats' },
      { topic: 'retro cats', product: 'shirt' },
      { topic: 'retro cats', product: 'mug' },
      { topic: 'retro cats', product: 'poster' },
      { topic: 'boho frogs' },
      { topic: 'boho frogs', product: 'shirt' },
      { topic: 'boho frogs', product: 'mug' },
      { topic: 'boho frogs', product: 'poster' },
    ])
    expect(KEYS_PER_TOPIC).toBe(4)
  })
})

describe('scoreUrl', () => {
  it('Should encode the topic and add the product only when there is one', () => {
    expect(scoreUrl('http://edge:8787', { topic: 'café & co' })).toBe(
      'http://edge:8787/score?topic=caf%C3%A9%20%26%20co',
    )
    expect(scoreUrl('http://edge:8787', { topic: 'a', product: 'mug' })).toBe(
      'http://edge:8787/score?topic=a&product=mug',
    )
  })
})
