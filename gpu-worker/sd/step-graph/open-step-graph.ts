/**
 * @module
 * Opens the step graph as a session beside the UNet: the graph is written to a
 * private temporary file (backends open models by path), loaded, then deleted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSession } from '../backend/open-session.ts'
import type { InferenceBackend, ModelSession, SdLogger } from '../backend/types.ts'
import { encodeModel } from '../onnx/onnx-model.ts'
import { STEP_PORTS, type StepGraphTypes, stepGraph } from './step-graph.ts'

/**
 * Opens the step graph for a UNet's port types on `provider`, its outputs kept on the device.
 * @example
 * const step = await openStepGraph(backend, 'cuda', { output: 'float16', sample: 'float16' })
 */
export async function openStepGraph(
  backend: InferenceBackend,
  provider: string,
  types: StepGraphTypes,
  logger?: SdLogger,
): Promise<ModelSession> {
  const dir = await mkdtemp(join(tmpdir(), 'sd-step-'))
  try {
    const path = join(dir, 'step.onnx')
    await writeFile(path, encodeModel(stepGraph(types)).model)
    const { session } = await openSession(backend, path, [provider], 'step_graph', logger, {
      deviceOutputs: [STEP_PORTS.nextLatents, STEP_PORTS.nextSample],
    })
    return session
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
