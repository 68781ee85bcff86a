/**
 * @module
 * Parsing `nvidia-smi --query-gpu=index,utilization.gpu,temperature.gpu
 * --format=csv,noheader,nounits`. A field the driver cannot read ("[N/A]",
 * "[Not Supported]") is absent, never a made-up number.
 */

/** One GPU's reading. */
export interface GpuReading {
  gpu: string
  utilizationPercent?: number
  temperatureCelsius?: number
}

function number(field: string | undefined): number | undefined {
  if (field === undefined) return undefined
  const text = field.trim()
  if (text === '' || text.startsWith('[')) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/** Parses the CSV; lines that are not `index, util, temp` are skipped. */
export function parseNvidiaSmi(output: string): GpuReading[] {
  const readings: GpuReading[] = []
  for (const line of output.split(/\r?\n/)) {
    const fields = line.split(',')
    if (fields.length !== 3) continue
    const index = fields[0]!.trim()
    if (!/^\d+$/.test(index)) continue
    const reading: GpuReading = { gpu: index }
    const utilization = number(fields[1])
    const temperature = number(fields[2])
    if (utilization !== undefined) reading.utilizationPercent = utilization
    if (temperature !== undefined) reading.temperatureCelsius = temperature
    readings.push(reading)
  }
  return readings
}
