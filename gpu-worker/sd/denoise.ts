/**
 * @module
 * The UNet loop of one generation, two ways: guidance and the scheduler step
 * in JavaScript on host arrays, or in the step graph (step-graph/) with the
 * UNet's output, the latents and the next UNet input left where the backend
 * keeps them (device memory on WebGPU/CUDA).
 */
import type { Feed, HeldTensor, ModelSession, Tensor } from './backend/types.ts'
import type { GenerateOptions } from './generate-options.ts'
import { applyGuidance } from './guidance.ts'
import { dispose, scalar, scaleInto, setTimestep, toHost } from './host-tensors.ts'
import type { LinearStep, SchedulerRun } from './schedulers/types.ts'
import { STEP_PORTS } from './step-graph/index.ts'

/** What the denoising loop of one generation works on. */
export interface DenoiseLoop {
  run: SchedulerRun
  /** The UNet's feeds: conditioning, `sample` (over `modelInput`) and `timestep`. */
  feeds: Record<string, Feed>
  /** [1, C, H, W] float32 latents; holds the final latents when the loop returns. */
  latents: Float32Array
  modelInput: Float32Array
  batch: number
  guided: boolean
  guidanceScale: number
  timings: { unetMs: number }
  options: GenerateOptions
}

/** Guidance and the scheduler step in JavaScript on host arrays. */
export async function jsSteps(
  loop: DenoiseLoop,
  unet: ModelSession,
  unetPath: string,
): Promise<void> {
  const { run, feeds, latents, modelInput, batch, guided, options } = loop
  const guidedOutput = new Float32Array(guided ? latents.length : 0)
  const total = run.timesteps.length
  for (let i = 0; i < total; i++) {
    options.signal?.throwIfAborted()
    scaleInto(latents, run.modelInputScale(i), modelInput, batch)
    setTimestep(feeds.timestep as Tensor, run.timesteps[i]!)
    const t0 = performance.now()
    const out = await unet.run(feeds, ['out_sample'])
    loop.timings.unetMs += performance.now() - t0
    // A UNet opened for the step graph leaves its output on the device: fetch it.
    const prediction = (await toHost(out.out_sample, unetPath, 'out_sample')).data
    if (guided) applyGuidance(prediction, loop.guidanceScale, guidedOutput)
    run.step(guided ? guidedOutput : prediction, i, latents)
    options.onProgress?.(i + 1, total)
  }
}

/**
 * UNet -> step graph -> UNet ...: the UNet's output, the latents and the next
 * UNet input stay where the backend leaves them (the device on WebGPU/CUDA);
 * only the final latents are read back. `loop.latents` is written only at the end.
 */
export async function graphSteps(
  loop: DenoiseLoop,
  unet: ModelSession,
  stepGraph: ModelSession,
  linearStep: (index: number) => LinearStep,
): Promise<void> {
  const { run, feeds, latents, modelInput, batch, guided, options } = loop
  const p = STEP_PORTS
  const dims = [1, ...(feeds.sample as Tensor).dims.slice(1)]
  scaleInto(latents, run.modelInputScale(0), modelInput, batch)
  let sample: Feed = feeds.sample!
  let current: Feed = { type: 'float32', data: latents, dims }
  const guidance = scalar(guided ? loop.guidanceScale : 1)
  const total = run.timesteps.length
  try {
    for (let i = 0; i < total; i++) {
      options.signal?.throwIfAborted()
      setTimestep(feeds.timestep as Tensor, run.timesteps[i]!)
      const t0 = performance.now()
      const out = await unet.run({ ...feeds, sample }, ['out_sample'])
      loop.timings.unetMs += performance.now() - t0
      const prediction = out.out_sample!
      const last = i === total - 1
      const { sampleFactor, outputFactor } = linearStep(i)
      let next: Record<string, Tensor | HeldTensor>
      try {
        next = await stepGraph.run(
          {
            [p.modelOutput]: prediction,
            [p.latents]: current,
            guidance_scale: guidance,
            sample_factor: scalar(sampleFactor),
            output_factor: scalar(outputFactor),
            input_scale: scalar(last ? 1 : run.modelInputScale(i + 1)),
          },
          last ? [p.nextLatents] : [p.nextLatents, p.nextSample],
        )
      } finally {
        dispose(prediction)
      }
      const previous = [current, sample]
      current = next[p.nextLatents]!
      if (!last) sample = next[p.nextSample]!
      for (const feed of previous) if (feed !== current && feed !== sample) dispose(feed)
      options.onProgress?.(i + 1, total)
    }
    current = await toHost(current, 'step graph', p.nextLatents)
    latents.set(current.data)
  } finally {
    dispose(current)
    dispose(sample)
  }
}
