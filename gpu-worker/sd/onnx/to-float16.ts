/**
 * @module
 * Turns a float32 graph into the float16 graph an `--fp16` export is: float
 * weights, graph inputs/outputs and Cast targets become float16. Resize's
 * `scales` stay float32, as the operator requires.
 */
import { float32ToFloat16 } from '../precision/float16.ts'
import { ELEM_TYPE, type GraphSpec, type InitializerSpec, type NodeSpec } from './onnx-model.ts'

/**
 * The float16 version of `graph`.
 * @example
 * encodeModel(toFloat16Graph(tinyUnet(...)))
 */
export function toFloat16Graph(graph: GraphSpec): GraphSpec {
  // Inputs that ONNX requires to be float32 whatever the data type.
  const keep = new Set(graph.nodes.filter((n) => n.op === 'Resize').map((n) => n.inputs[2]))
  const initializers = graph.initializers.map(
    (init): InitializerSpec =>
      init.type === 'float32' && !keep.has(init.name)
        ? { ...init, type: 'float16', data: float32ToFloat16(init.data as Float32Array) }
        : init,
  )
  const half = <T extends { type: string }>(v: T): T =>
    v.type === 'float32' ? { ...v, type: 'float16' } : v
  return {
    ...graph,
    initializers,
    nodes: graph.nodes.map(castToHalf),
    inputs: graph.inputs.map(half),
    outputs: graph.outputs.map(half),
  }
}

function castToHalf(node: NodeSpec): NodeSpec {
  const to = node.attributes?.to
  if (node.op !== 'Cast' || !to || !('i' in to) || to.i !== ELEM_TYPE.float32) return node
  return { ...node, attributes: { ...node.attributes, to: { i: ELEM_TYPE.float16 } } }
}
