import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTinySdModelSet } from '../../gpu-worker/sd/index.ts'

const repoRoot = resolve(import.meta.dirname, '../..')
const CLIP_DIR = resolve(repoRoot, '../shared/data/clip-tokenizer')

function run(script: string, args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'scripts', script), ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  )
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

let root: string
let modelDir: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sd-cli-'))
  modelDir = join(root, 'tiny')
  await writeTinySdModelSet(modelDir, { seed: 2 })
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('scripts/sd.ts', () => {
  it('Should write a PNG of the requested size', async () => {
    const out = join(root, 'a.png')
    const args = [
      'generate',
      '--prompt',
      'shirt design',
      '--seed',
      '1',
      '--steps',
      '3',
      '--size',
      '96x64',
    ]
    const result = run('sd.ts', [...args, '--out', out, '--model-dir', modelDir])
    expect(result.stderr).not.toMatch(/error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /Wrote .*a\.png \(96x64, seed 1, 3 steps, pndm, sd fp32, provider cpu\)/,
    )
    const meta = await sharp(out).metadata()
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 96, 64, 3])
  })

  it('Should exit 2 with the usage on bad arguments', () => {
    const cases = [
      [],
      ['paint'],
      ['generate', '--seed', '1', '--out', 'x.png'],
      ['generate', '--prompt', 'x', '--seed', 'one', '--out', 'x.png'],
      ['generate', '--prompt', 'x', '--seed', '1', '--out', 'x.png', '--size', '512'],
      ['generate', '--prompt', 'x', '--seed', '1', '--out', 'x.png', '--bogus'],
      [
        'generate',
        '--prompt',
        'x',
        '--seed',
        '1',
        '--out',
        'x.png',
        '--size',
        '100x100',
        '--model-dir',
        modelDir,
      ],
    ]
    for (const args of cases) {
      const result = run('sd.ts', args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/^error: .*\n\nusage:/s)
    }
  }, 120_000) // seven CLI processes in a row: slow on a loaded 2-core machine

  it('Should print the tiny tokenizer ids with bos and eos, unpadded', () => {
    const result = run('sd.ts', ['tokenize', 'a cat', '--model-dir', modelDir])
    expect(result.code).toBe(0)
    const ids = JSON.parse(result.stdout) as number[]
    expect(ids[0]).toBe(576)
    expect(ids.at(-1)).toBe(577)
    expect(ids.length).toBeLessThan(10)
  })

  it.skipIf(!existsSync(CLIP_DIR))(
    'Should read only DIR/tokenizer/ and print the CLIP ids',
    async () => {
      // A folder holding nothing but a tokenizer/ (a link to the shared CLIP files).
      const dir = join(root, 'clip-only')
      await mkdir(dir)
      await symlink(CLIP_DIR, join(dir, 'tokenizer'))
      const result = run('sd.ts', ['tokenize', 'a photo of a cat', '--model-dir', dir])
      expect(result.stdout.trim()).toBe('[49406,320,1125,539,320,2368,49407]')
    },
  )
})

describe('scripts/make_tiny_sd.ts', () => {
  it('Should write the layout with the chosen timestep type', () => {
    const out = join(root, 'made')
    const result = run('make_tiny_sd.ts', ['--out', out, '--timestep', 'scalar', '--seed', '3'])
    expect(result.code).toBe(0)
    for (const file of [
      'model_index.json',
      'unet/model.onnx',
      'unet/model.onnx_data',
      'tokenizer/merges.txt',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true)
    }
    expect(run('make_tiny_sd.ts', ['--out', out, '--timestep', 'half']).code).toBe(2)
  })

  it('Should write an fp16 SDXL-Turbo set that sd.ts runs in one step', async () => {
    const out = join(root, 'xl-turbo')
    const made = run('make_tiny_sd.ts', [
      '--out',
      out,
      '--family',
      'sdxl',
      '--precision',
      'fp16',
      '--vae-precision',
      'fp32',
      '--scheduler',
      'euler',
      '--timestep',
      'float',
      '--turbo',
    ])
    expect(made.code).toBe(0)
    expect(existsSync(join(out, 'text_encoder_2', 'model.onnx'))).toBe(true)
    const png = join(root, 'turbo.png')
    const args = ['generate', '--prompt', 'a mug', '--seed', '1', '--size', '64x64']
    const result = run('sd.ts', [...args, '--out', png, '--model-dir', out])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/\(64x64, seed 1, 1 steps, euler, sdxl-turbo fp16-vae-fp32, /)
    expect(run('make_tiny_sd.ts', ['--out', out, '--precision', 'fp8']).code).toBe(2)
  }, 60_000)
})

describe('scripts/gpu_check.ts', () => {
  it('Should time every set on the CPU provider, the conditioning held on the host', () => {
    const result = run('gpu_check.ts', [
      '--providers',
      'cpu',
      '--runs',
      '1',
      '--steps',
      '1',
      '--size',
      '64x64',
    ])
    expect(result.code).toBe(0)
    for (const set of [
      'tiny sd fp32',
      'tiny sd fp16',
      'tiny sdxl fp16 (vae fp32)',
      'large sd fp16',
    ]) {
      expect(result.stdout).toContain(set)
    }
    expect(result.stdout).toMatch(/sdxl\/fp16-vae-fp32 total .* outside session\.run \d+\.\d%/)
    expect(result.stdout).toMatch(/conditioning on cpu/)
    expect(result.stdout).not.toMatch(/failed|did not load/)
  }, 60_000)
})
