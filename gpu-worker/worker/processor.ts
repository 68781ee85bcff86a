/**
 * @module
 * One mock-up job: prompt to design (the SD pipeline, inside a GPU slot) to
 * composite (sharp) to storage, with the `mockups` row moved through running
 * to completed. A row that is no longer runnable (failed by the reconciler,
 * already finished, deleted) is not generated. Bad input is an
 * UnrecoverableError (no retry); anything else is retried by BullMQ, and the
 * row marked failed with a code after the last attempt.
 */
import { type Job, UnrecoverableError } from 'bullmq'
import type { Logger } from '../../core/platform/logger.ts'
import type { MockupRecords } from '../../core/platform/mockups/index.ts'
import type { MockupStorage } from '../../core/platform/storage/index.ts'
import { type MockupJob, mockupContract } from '../../edge/contracts/mockups.ts'
import { ComposeInputError, composeMockup } from '../compose/index.ts'
import { SdInputError, type SdPipeline } from '../sd/index.ts'
import { type GpuSlotMetrics, type SlotSemaphore, withGpuSlot } from '../slots/index.ts'
import { failureCodeOf, MockupJobInputError, MockupStorageError, unrecoverable } from './failure.ts'
import type { MockupStage } from './metrics.ts'

/** What a generated job returns (its BullMQ `returnvalue`). */
export interface GeneratedMockup {
  mockupId: string
  pngKey: string
  webpKey: string
  provider: string
  timings: Record<MockupStage | 'total', number>
}

/** What a finished job returns: the mock-up, or that its row was not runnable. */
export type MockupJobResult = GeneratedMockup | { mockupId: string; skipped: 'not_runnable' }

/** What the processor needs. */
export interface MockupProcessorDeps {
  /** What the processor uses of a loaded pipeline. */
  pipeline: Pick<SdPipeline, 'generate' | 'providers'>
  semaphore: SlotSemaphore
  slotMetrics?: GpuSlotMetrics
  records: MockupRecords
  storage: MockupStorage
  recordStages?: (stagesMs: Record<MockupStage, number>) => void
  /** Where skipped jobs are told. */
  logger?: Pick<Logger, 'info'>
}

const round = (ms: number) => Math.round(ms * 100) / 100

/** Creates the BullMQ processor of the `mockups` queue. */
export function mockupProcessor(deps: MockupProcessorDeps) {
  return async function processMockup(job: Job<MockupJob>): Promise<MockupJobResult> {
    // The contract's limits: a job past them (an older or foreign producer) is refused, not run.
    const parsed = mockupContract.job.safeParse(job.data)
    if (!parsed.success)
      throw unrecoverable(
        new MockupJobInputError(`invalid mock-up job: ${parsed.error.issues[0]?.message}`),
      )
    const data = parsed.data
    const started = performance.now()
    if (!(await deps.records.markRunning(data.mockupId))) {
      // Completed, not failed: there is nothing to retry, and failing it would
      // overwrite the row's own reason.
      deps.logger?.info({ job: job.id, mockupId: data.mockupId }, 'mock-up not runnable: skipped')
      return { mockupId: data.mockupId, skipped: 'not_runnable' }
    }
    try {
      const image = await withGpuSlot(
        deps.semaphore,
        (signal) =>
          deps.pipeline.generate({
            prompt: data.prompt,
            seed: data.seed,
            steps: data.steps,
            width: data.width,
            height: data.height,
            signal,
            // Denoising is 90% of the job; compositing and storing the rest.
            onProgress: (step, total) => {
              job.updateProgress(Math.round((step / total) * 90)).catch(() => {})
            },
          }),
        deps.slotMetrics ? { metrics: deps.slotMetrics } : {},
      )
      const mockup = await composeMockup({ design: image, product: data.product })
      await job.updateProgress(95)
      const pngKey = `${data.mockupId}/mockup.png`
      const webpKey = `${data.mockupId}/mockup.webp`
      await Promise.all([
        deps.storage.put(pngKey, mockup.png, 'image/png'),
        deps.storage.put(webpKey, mockup.webp, 'image/webp'),
      ]).catch((err: unknown) => {
        throw new MockupStorageError('storing the images failed', { cause: err })
      })
      const stages: Record<MockupStage, number> = {
        tokenize: round(image.timings.tokenizeMs),
        text_encoder: round(image.timings.textEncoderMs),
        unet: round(image.timings.unetMs),
        vae: round(image.timings.vaeMs),
        composite: round(mockup.timings.compositeMs),
        encode: round(mockup.timings.encodeMs),
      }
      deps.recordStages?.(stages)
      const timings = { ...stages, total: round(performance.now() - started) }
      const provider = deps.pipeline.providers.unet
      await deps.records.markCompleted(data.mockupId, { provider, timings, pngKey, webpKey })
      return { mockupId: data.mockupId, pngKey, webpKey, provider, timings }
    } catch (err) {
      // Input the pipeline or compositor refuses will fail the same way again.
      if (err instanceof SdInputError || err instanceof ComposeInputError) throw unrecoverable(err)
      throw err
    }
  }
}

/**
 * Marks the row failed with the error's code once BullMQ gives up on the job
 * (no attempts left, or unrecoverable); the worker has logged the raw error.
 */
export async function recordFinalFailure(
  records: MockupRecords,
  job: Job<MockupJob> | undefined,
  err: Error,
): Promise<void> {
  if (!job) return
  const attempts = job.opts.attempts ?? 1
  const final =
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    job.attemptsMade >= attempts
  if (final && typeof job.data?.mockupId === 'string')
    await records.markFailed(job.data.mockupId, failureCodeOf(err))
}
