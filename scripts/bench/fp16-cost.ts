/**
 * @module
 * What the float16 boundary costs per UNet step: the latents narrowed on the
 * way in and the prediction widened on the way out (batch 2 with guidance),
 * timed on the conversion functions themselves.
 */
import { float16ToFloat32, float32ToFloat16 } from '../../gpu-worker/sd/precision/index.ts'
import { median } from './stats.ts'

/** Median microseconds per step, and the elements converted each way. */
export interface Fp16StepCost {
  elements: number
  narrowUs: number
  widenUs: number
  stepUs: number
}

/**
 * Times the conversions for a `batch` x 4 x (height/8) x (width/8) latent tensor.
 * @example
 * const { stepUs } = measureFp16StepCost(512, 512, 2)
 */
export function measureFp16StepCost(
  width: number,
  height: number,
  batch: number,
  repeats = 50,
): Fp16StepCost {
  const elements = batch * 4 * (width / 8) * (height / 8)
  const values = Float32Array.from({ length: elements }, (_, i) => Math.sin(i) * 3)
  const half = new Uint16Array(elements)
  const back = new Float32Array(elements)
  const narrow: number[] = []
  const widen: number[] = []
  // The first rounds let V8 optimise the loops, as a worker's steady state has them.
  for (let r = 0; r < repeats + 10; r++) {
    const t0 = performance.now()
    float32ToFloat16(values, half)
    const t1 = performance.now()
    float16ToFloat32(half, back)
    const t2 = performance.now()
    if (r < 10) continue
    narrow.push((t1 - t0) * 1000)
    widen.push((t2 - t1) * 1000)
  }
  const narrowUs = median(narrow)
  const widenUs = median(widen)
  return { elements, narrowUs, widenUs, stepUs: narrowUs + widenUs }
}
