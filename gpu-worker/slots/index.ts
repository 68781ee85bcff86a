/** @module GPU slots: the Redis lease semaphore and `withGpuSlot()`. */
export {
  createGpuSlotMetrics,
  type GpuSlotMetrics,
  type GpuSlotOptions,
  SlotLostError,
  SlotWaitTimeoutError,
  withGpuSlot,
} from './gpu-slot.ts'
export { type SlotLease, SlotSemaphore, type SlotSemaphoreOptions } from './semaphore.ts'
