import { describe, expect, it } from 'vitest'
import { parseNvidiaSmi } from './parse.ts'

describe('parseNvidiaSmi', () => {
  it('Should read one line per GPU', () => {
    // Recorded from a two-GPU host.
    expect(parseNvidiaSmi('0, 87, 71\n1, 3, 38\n')).toEqual([
      { gpu: '0', utilizationPercent: 87, temperatureCelsius: 71 },
      { gpu: '1', utilizationPercent: 3, temperatureCelsius: 38 },
    ])
  })

  it('Should leave out fields the driver cannot read', () => {
    // MIG instances and some datacenter boards report utilisation as [N/A].
    expect(parseNvidiaSmi('0, [N/A], 45\n1, 12, [Not Supported]\r\n')).toEqual([
      { gpu: '0', temperatureCelsius: 45 },
      { gpu: '1', utilizationPercent: 12 },
    ])
  })

  it('Should read nothing from an error message or an empty answer', () => {
    expect(
      parseNvidiaSmi(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n",
      ),
    ).toEqual([])
    expect(parseNvidiaSmi('No devices were found\n')).toEqual([])
    expect(parseNvidiaSmi('')).toEqual([])
    expect(parseNvidiaSmi('index, utilization.gpu, temperature.gpu\nx, 1, 2\n0, abc, 50')).toEqual([
      { gpu: '0', temperatureCelsius: 50 },
    ])
  })
})
