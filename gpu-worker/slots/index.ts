/** @module GPU slots: the Redis lease semaphore, `withGpuSlot()` and the device they belong to. */

export {
  type GpuId,
  parseGpuIds,
  resolveSlotDevice,
  type SlotDevice,
  type SlotDeviceInputs,
  type SlotDeviceSource,
  slotKeyPart,
  visibleGpuUuids,
} from './device-identity.ts'
export {
  createGpuSlotMetrics,
  type GpuSlotMetrics,
  type GpuSlotOptions,
  SlotLostError,
  SlotWaitTimeoutError,
  withGpuSlot,
} from './gpu-slot.ts'
export { readGpuUuids } from './read-gpu-uuids.ts'
export { type SlotLease, SlotSemaphore, type SlotSemaphoreOptions } from './semaphore.ts'
