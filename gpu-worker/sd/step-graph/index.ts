/**
 * @module
 * The scheduler step as an ONNX graph, for keeping latents on the device.
 */
export { openStepGraph } from './open-step-graph.ts'
export { STEP_PORTS, STEP_SCALARS, type StepGraphTypes, stepGraph } from './step-graph.ts'
