import { describe, expect, it } from 'vitest'
import { parsePrometheusText, sampleValue } from './exposition.ts'

describe('parsePrometheusText', () => {
  it('Should keep histogram series apart and check their buckets', () => {
    const families = parsePrometheusText(
      [
        '# HELP h A histogram',
        '# TYPE h histogram',
        'h_bucket{le="0.1",route="/a"} 1',
        'h_bucket{le="+Inf",route="/a"} 1',
        'h_sum{route="/a"} 0.05',
        'h_count{route="/a"} 1',
        'h_bucket{le="0.1",route="/b"} 1',
        'h_bucket{le="+Inf",route="/b"} 2',
        'h_sum{route="/b"} 0.5',
        'h_count{route="/b"} 2',
      ].join('\n'),
    )
    expect(sampleValue(families, 'h_count', { route: '/b' })).toBe(2)
    expect(sampleValue(families, 'h_sum', { route: '/a' })).toBe(0.05)
  })

  it.each([
    ['a sample without a family', 'x 1'],
    ['a bad value', '# TYPE g gauge\ng one'],
    ['bad label syntax', '# TYPE g gauge\ng{a=b} 1'],
    ['a repeated label', '# TYPE g gauge\ng{a="1",a="2"} 1'],
    [
      'non-cumulative buckets',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1',
    ],
    ['+Inf not matching count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 1'],
  ])('Should reject %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow()
  })

  it('Should unescape label values', () => {
    const families = parsePrometheusText('# TYPE g gauge\ng{path="a\\"b\\\\c\\nd"} 3')
    expect(families.get('g')?.samples[0]?.labels.path).toBe('a"b\\c\nd')
  })
})
