import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BYTE_SYMBOLS_IN_VOCAB_ORDER, BYTE_TO_UNICODE } from './bytes-to-unicode.ts'
import { ClipTokenizer, type ClipTokenizerData, loadClipTokenizer } from './index.ts'

const repoRoot = resolve(import.meta.dirname, '../../..')
const CLIP_DIR = resolve(repoRoot, '../shared/data/clip-tokenizer')
const hasClip = existsSync(join(CLIP_DIR, 'vocab.json')) && existsSync(join(CLIP_DIR, 'merges.txt'))

if (!hasClip) {
  console.warn(`Skipping the real CLIP tokenizer tests: ${CLIP_DIR} is absent`)
}

describe.skipIf(!hasClip)('ClipTokenizer on the real CLIP ViT-L/14 vocab', () => {
  let tokenizer: ClipTokenizer
  let vocab: Record<string, number>
  beforeAll(async () => {
    tokenizer = await loadClipTokenizer(CLIP_DIR)
    vocab = JSON.parse(readFileSync(join(CLIP_DIR, 'vocab.json'), 'utf8'))
  })

  it('Should give the published ids for "a photo of a cat"', () => {
    expect(tokenizer.tokenize('a photo of a cat')).toEqual([
      49406, 320, 1125, 539, 320, 2368, 49407,
    ])
  })

  it('Should read bos 49406, eos 49407 and pad = eos (SD 1.x) from the files', () => {
    expect([tokenizer.bosId, tokenizer.eosId, tokenizer.padId, tokenizer.maxLength]).toEqual([
      49406, 49407, 49407, 77,
    ])
  })

  it('Should lower-case and collapse whitespace', () => {
    expect(tokenizer.tokenize('  A \t PHOTO\nof  a Cat ')).toEqual(
      tokenizer.tokenize('a photo of a cat'),
    )
  })

  it('Should make each digit its own token', () => {
    // A lone digit is a word ending in itself: "d</w>", at 256 + its place among the printable bytes.
    const digit = (d: string) => 256 + (d.charCodeAt(0) - 0x21)
    expect(tokenizer.tokenize('2024')).toEqual([49406, ...'2024'.split('').map(digit), 49407])
    expect(tokenizer.tokenize('1')).toEqual([49406, 272, 49407])
  })

  it("Should split CLIP's contractions (it's, isn't) off the word", () => {
    expect(tokenizer.tokenize("it's")).toEqual([49406, vocab['it</w>'], vocab["'s</w>"], 49407])
    const isnt = tokenizer.tokenize("isn't")
    expect(isnt.at(-2)).toBe(vocab["'t</w>"])
  })

  it('Should keep runs of punctuation together and apart from words', () => {
    expect(tokenizer.tokenize('cat!!')).toEqual([49406, vocab['cat</w>'], vocab['!!</w>'], 49407])
    expect(tokenizer.tokenize('red, blue')).toEqual([
      49406,
      vocab['red</w>'],
      vocab[',</w>'],
      vocab['blue</w>'],
      49407,
    ])
  })

  it('Should encode unicode through its UTF-8 bytes and round-trip', () => {
    const decodeByte = new Map(BYTE_TO_UNICODE.map((c, b) => [c, b]))
    const byId = new Map(Object.entries(vocab).map(([token, id]) => [id, token]))
    for (const text of ['café', '東京', '🐱']) {
      const ids = tokenizer.tokenize(text).slice(1, -1)
      const symbols = ids
        .map((id) => byId.get(id)!)
        .join('')
        .replace(/<\/w>$/, '')
      const bytes = Uint8Array.from(Array.from(symbols), (c) => decodeByte.get(c)!)
      expect(new TextDecoder().decode(bytes)).toBe(text)
    }
  })

  it('Should apply NFC, so composed and decomposed accents agree', () => {
    expect(tokenizer.tokenize('cafe\u0301')).toEqual(tokenizer.tokenize('caf\u00e9'))
  })

  it('Should map the special token strings to their ids', () => {
    expect(tokenizer.tokenize('<|startoftext|>cat<|endoftext|>')).toEqual([
      49406,
      49406,
      vocab['cat</w>'],
      49407,
      49407,
    ])
  })

  it('Should truncate an over-long prompt to 77 ids with eos last, and pad short ones', () => {
    const long = tokenizer.encode('cat '.repeat(100))
    expect(long.truncated).toBe(true)
    expect(long.length).toBe(77)
    expect(long.ids[0]).toBe(49406)
    expect(long.ids[76]).toBe(49407)
    expect(long.ids[75]).toBe(vocab['cat</w>'])

    const short = tokenizer.encode('a photo of a cat')
    expect(short.truncated).toBe(false)
    expect(short.length).toBe(7)
    expect(Array.from(short.ids.subarray(7))).toEqual(new Array(70).fill(49407))
  })
})

/** A vocab of the 512 byte symbols, the given merges and the two special tokens. */
function smallVocab(merges: [string, string][], extra: Partial<ClipTokenizerData> = {}) {
  const tokens = [
    ...BYTE_SYMBOLS_IN_VOCAB_ORDER,
    ...BYTE_SYMBOLS_IN_VOCAB_ORDER.map((c) => `${c}</w>`),
    ...merges.map(([a, b]) => a + b),
    '<|startoftext|>',
    '<|endoftext|>',
  ]
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]))
  const data: ClipTokenizerData = {
    vocab,
    merges,
    bosToken: '<|startoftext|>',
    eosToken: '<|endoftext|>',
    padToken: '<|endoftext|>',
    unkToken: '<|endoftext|>',
    maxLength: 8,
    ...extra,
  }
  return { data, vocab }
}

describe('ClipTokenizer on a small vocab', () => {
  it('Should merge the lowest-ranked pair first', () => {
    const ab: [string, string][] = [
      ['a', 'b'],
      ['b', 'c</w>'],
    ]
    const first = smallVocab(ab)
    expect(new ClipTokenizer(first.data).tokenize('abc').slice(1, -1)).toEqual([
      first.vocab.ab,
      first.vocab['c</w>'],
    ])
    const second = smallVocab([ab[1]!, ab[0]!])
    expect(new ClipTokenizer(second.data).tokenize('abc').slice(1, -1)).toEqual([
      second.vocab.a,
      second.vocab['bc</w>'],
    ])
  })

  it('Should merge every occurrence of a pair in one round', () => {
    const { data, vocab } = smallVocab([['a', 'a']])
    expect(new ClipTokenizer(data).tokenize('aaaa').slice(1, -1)).toEqual([
      vocab.aa,
      vocab.a,
      vocab['a</w>'],
    ])
  })

  it('Should truncate to maxLength keeping eos last, then pad with the pad id', () => {
    const { data } = smallVocab([])
    const tokenizer = new ClipTokenizer({ ...data, padToken: '!' })
    const encoded = tokenizer.encode('abcdefghij')
    expect(encoded.length).toBe(8)
    expect(encoded.ids.at(-1)).toBe(tokenizer.eosId)
    const short = tokenizer.encode('a')
    expect(Array.from(short.ids)).toEqual([
      tokenizer.bosId,
      256 + (97 - 0x21),
      tokenizer.eosId,
      0,
      0,
      0,
      0,
      0,
    ])
  })
})

describe('loadClipTokenizer', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sd-tokenizer-'))
    const { vocab } = smallVocab([['a', 'b']])
    await writeFile(join(dir, 'vocab.json'), JSON.stringify(vocab))
    await writeFile(join(dir, 'merges.txt'), '#version: 0.2\na b\n')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('Should default pad to eos when no config names one (SD 1.x)', async () => {
    const tokenizer = await loadClipTokenizer(dir)
    expect(tokenizer.padId).toBe(tokenizer.eosId)
  })

  it('Should take the pad token from the config when given ("!" for SD 2)', async () => {
    await writeFile(
      join(dir, 'tokenizer_config.json'),
      JSON.stringify({ pad_token: { content: '!' }, model_max_length: 77 }),
    )
    try {
      const tokenizer = await loadClipTokenizer(dir)
      expect(tokenizer.padId).toBe(0)
      expect(tokenizer.maxLength).toBe(77)
    } finally {
      await rm(join(dir, 'tokenizer_config.json'))
    }
  })

  it('Should name the missing file', async () => {
    await expect(loadClipTokenizer(join(dir, 'nope'))).rejects.toThrow(/nope\/vocab\.json/)
  })
})
