import { describe, expect, it } from 'vitest'
import { parseGpuIds, resolveSlotDevice, slotKeyPart, visibleGpuUuids } from './device-identity.ts'

const A = 'GPU-8f3c1a2b-0d4e-4f5a-9b6c-7d8e9f0a1b2c'
const B = 'GPU-11112222-3333-4444-5555-666677778888'
const gpus = [
  { index: '0', uuid: A },
  { index: '1', uuid: B },
]

describe('resolveSlotDevice', () => {
  it('Should key the slots by the first GPU UUID when GPU_DEVICE is unset', () => {
    expect(resolveSlotDevice({ gpuUuids: [A, B], hostname: 'gpu-worker-7d9f' })).toEqual({
      device: A,
      source: 'gpu-uuid',
    })
  })

  it('Should let an explicit GPU_DEVICE override the driver', () => {
    expect(resolveSlotDevice({ gpuUuids: [A], explicit: 'node-3-gpu0', hostname: 'h' })).toEqual({
      device: 'node-3-gpu0',
      source: 'GPU_DEVICE',
    })
  })

  it('Should fall back to the hostname without a GPU or GPU_DEVICE', () => {
    expect(resolveSlotDevice({ gpuUuids: [], hostname: 'gpu-worker-5c8b9-x2k4q' })).toEqual({
      device: 'gpu-worker-5c8b9-x2k4q',
      source: 'hostname',
    })
  })

  it('Should skip sources that are empty once sanitised, and refuse when none is left', () => {
    expect(resolveSlotDevice({ gpuUuids: [' '], explicit: '', hostname: 'pod' }).source).toBe(
      'hostname',
    )
    expect(() => resolveSlotDevice({ gpuUuids: [], hostname: '' })).toThrow(/no slot device/)
  })

  it('Should sanitise a UUID to the slot key charset', () => {
    const mig = 'MIG-GPU-8f3c1a2b-0d4e-4f5a-9b6c-7d8e9f0a1b2c/1/0'
    expect(resolveSlotDevice({ gpuUuids: [mig], hostname: 'h' }).device).toBe(
      'MIG-GPU-8f3c1a2b-0d4e-4f5a-9b6c-7d8e9f0a1b2c_1_0',
    )
  })
})

describe('slotKeyPart', () => {
  it('Should keep [A-Za-z0-9_.-], replace the rest and cap at 64 characters', () => {
    expect(slotKeyPart(A)).toBe(A)
    expect(slotKeyPart('a b:c/d')).toBe('a_b_c_d')
    expect(slotKeyPart('x'.repeat(80))).toHaveLength(64)
  })
})

describe('parseGpuIds', () => {
  it('Should read index and UUID per line and skip anything else', () => {
    const output = `0, ${A}\n1, ${B}\r\nNo devices were found\n\n2, \n`
    expect(parseGpuIds(output)).toEqual(gpus)
  })
})

describe('visibleGpuUuids', () => {
  it.each([
    ['unset: every GPU in the driver order', undefined, [A, B]],
    ['an index', '1', [B]],
    ['indices in CUDA order', '1,0', [B, A]],
    ['a UUID prefix', 'GPU-1111', [B]],
    [
      'a MIG UUID, kept as given',
      'MIG-4a5b6c7d-0000-1111-2222-333344445555',
      ['MIG-4a5b6c7d-0000-1111-2222-333344445555'],
    ],
    ['an empty list: no GPU', '', []],
    ['-1: no GPU', '-1', []],
    ['a list cut at the first unknown entry', '0,7,1', [A]],
  ])('Should honour CUDA_VISIBLE_DEVICES as %s', (_, visible, expected) => {
    expect(visibleGpuUuids(gpus, visible)).toEqual(expected)
  })
})
