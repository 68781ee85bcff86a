import { describe, expect, it } from 'vitest'
import { encodeReply } from './encoding.ts'

const b64 = (text: string): string => Buffer.from(text).toString('base64')

describe('encodeReply', () => {
  it('Should keep a whole OK plain and base64 every other string', () => {
    expect(encodeReply(Buffer.from('OK'), true)).toBe('OK')
    expect(encodeReply(Buffer.from('PONG'), true)).toBe(b64('PONG'))
    expect(encodeReply(Buffer.from([0xff, 0x00]), true)).toBe('/wA=')
  })

  it('Should encode nested strings, OK included, and keep numbers and null', () => {
    const reply = [Buffer.from('OK'), 3, null, [Buffer.from('é'), [Buffer.from('x')]]]
    expect(encodeReply(reply, true)).toEqual([b64('OK'), 3, null, [b64('é'), [b64('x')]]])
  })

  it('Should decode UTF-8 without the encoding', () => {
    expect(encodeReply([Buffer.from('héllo'), 1, null], false)).toEqual(['héllo', 1, null])
  })
})
