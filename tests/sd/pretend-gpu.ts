/**
 * A stand-in GPU on the real ONNX Runtime: a backend that reports the CPU
 * provider as `cuda` and returns the outputs a session was opened to keep on
 * the device (`deviceOutputs`) as held tensors in `gpu-buffer`, so the pipeline
 * takes its device paths; `refuses` makes chosen inputs reject such tensors the
 * way a provider without IO binding would.
 */
import {
  type Feed,
  type HeldTensor,
  type InferenceBackend,
  onnxNodeBackend,
} from '../../gpu-worker/sd/index.ts'

/** What the pretend device saw. */
export interface DeviceLog {
  /** Per run given `encoder_hidden_states`: where it lived (`plain` for host arrays). */
  unetStates: string[]
  /** Per run given `sample` (the UNet's): where it lived. */
  unetSamples: string[]
  /** Device tensors made, and freed. */
  created: number
  disposed: number
  /** dispose() calls on a tensor already freed. */
  disposedTwice: number
}

/** A fresh log. */
export function deviceLog(): DeviceLog {
  return { unetStates: [], unetSamples: [], created: 0, disposed: 0, disposedTwice: 0 }
}

const location = (feed: Feed | undefined) => (feed && 'held' in feed ? feed.location : 'plain')

/**
 * The pretend-GPU backend.
 * @param refuses whether input `name` rejects a tensor held on the device
 */
export function pretendGpu(
  log: DeviceLog,
  refuses: (name: string) => boolean = () => false,
): InferenceBackend {
  const real = new Map<HeldTensor, HeldTensor>()
  return {
    name: 'pretend-gpu',
    async createSession(path, provider, options) {
      if (provider !== 'cuda') throw new Error(`${provider} is not available`)
      const session = await onnxNodeBackend.createSession(path, 'cpu')
      const keep = new Set(options?.deviceOutputs ?? [])
      return {
        ...session,
        async run(feeds, names) {
          if (feeds.encoder_hidden_states)
            log.unetStates.push(location(feeds.encoder_hidden_states))
          if (feeds.sample) log.unetSamples.push(location(feeds.sample))
          const unwrapped: Record<string, Feed> = {}
          for (const [name, feed] of Object.entries(feeds)) {
            if (location(feed) === 'gpu-buffer' && refuses(name)) {
              throw new Error(`input ${name}: device tensors are not supported`)
            }
            unwrapped[name] = 'held' in feed ? (real.get(feed) ?? feed) : feed
          }
          const out = await session.run(unwrapped, names)
          for (const name of keep) {
            const tensor = out[name]
            if (!tensor || 'held' in tensor) continue
            const held = session.hold(name, tensor)
            log.created++
            let freed = false
            const onDevice: HeldTensor = {
              held: true,
              type: held.type,
              dims: held.dims,
              location: 'gpu-buffer',
              read: () => held.read(),
              dispose: () => {
                if (freed) log.disposedTwice++
                else log.disposed++
                freed = true
                held.dispose()
              },
            }
            real.set(onDevice, held)
            out[name] = onDevice
          }
          return out
        },
      }
    },
  }
}
