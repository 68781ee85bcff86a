import { describe, expect, it } from 'vitest'
import { parseGpuMemory, readGpuMemory } from './memory.ts'

describe('parseGpuMemory', () => {
  it('Should read used and total MiB per GPU', () => {
    expect(parseGpuMemory('0, 1523, 81559\n1, 0, 81559\r\n')).toEqual([
      { gpu: '0', usedMiB: 1523, totalMiB: 81559 },
      { gpu: '1', usedMiB: 0, totalMiB: 81559 },
    ])
  })

  it('Should skip fields the driver cannot read and lines that are not readings', () => {
    expect(parseGpuMemory('0, [N/A], 81559\n1, 20, 40\nNo devices were found\n2, 5\n')).toEqual([
      { gpu: '1', usedMiB: 20, totalMiB: 40 },
    ])
    expect(parseGpuMemory('')).toEqual([])
  })
})

describe('readGpuMemory', () => {
  it('Should read nothing, without throwing, when the binary is missing', async () => {
    const errors: unknown[] = []
    const readings = await readGpuMemory({
      binary: '/nonexistent/nvidia-smi',
      onError: (err) => errors.push(err),
    })
    expect(readings).toEqual([])
    expect(errors).toHaveLength(1)
  })
})
