/**
 * @module
 * `npm run worker:gpu`: consumes the `mockups` queue. Loads the SD pipeline
 * once (`MODEL_DIR`, else the generated tiny set), runs each job inside a GPU
 * slot, composites with sharp, stores the images, and exports the GPU, slot,
 * stage and queue metrics on `METRICS_PORT` (9467).
 */
import { hostname } from 'node:os'
import { createPool } from '../core/platform/db/index.ts'
import { registerRedisQueueCollector } from '../core/platform/metrics/index.ts'
import { createMockupRecords } from '../core/platform/mockups/index.ts'
import {
  ALL_QUEUES,
  createWorker,
  type MockupJob,
  QUEUE_NAMES,
  queueSettingsFromConfig,
} from '../core/platform/queue/index.ts'
import { closeRedis, createRedis, queueRedisCheck } from '../core/platform/redis/index.ts'
import { runService } from '../core/platform/service.ts'
import { createMockupStorage, storageReadinessChecks } from '../core/platform/storage/index.ts'
import { reportExecutionProviders } from './execution-provider/index.ts'
import { createNvidiaSmiReader, registerGpuMetrics } from './gpu-metrics/index.ts'
import { loadSdPipeline, resolveModelDir } from './sd/index.ts'
import {
  createGpuSlotMetrics,
  readGpuUuids,
  resolveSlotDevice,
  SlotSemaphore,
} from './slots/index.ts'
import { mockupStageRecorder } from './worker/metrics.ts'
import { type MockupJobResult, mockupProcessor, recordFinalFailure } from './worker/processor.ts'

await runService({
  name: 'gpu-worker',
  defaultMetricsPort: 9467,
  async start({ config, logger, metrics, onShutdown, addReadinessCheck }) {
    if (!config.DATABASE_URL || !config.REDIS_URL) {
      throw new Error('the GPU worker needs DATABASE_URL and REDIS_URL')
    }
    const settings = queueSettingsFromConfig(config)
    const pool = createPool({
      url: config.DATABASE_URL,
      size: config.DB_POOL_SIZE,
      name: 'gpu-worker',
      registry: metrics.registry,
      logger,
    })
    onShutdown('database pool', () => pool.end())
    addReadinessCheck({ name: 'postgres', check: () => pool.query('SELECT 1') })

    const modelDir = await resolveModelDir(config.MODEL_DIR, (dir) =>
      logger.info({ modelDir: dir }, 'generated the tiny model set (MODEL_DIR is unset)'),
    )
    const pipeline = await loadSdPipeline(modelDir, {
      providers: config.EXECUTION_PROVIDERS,
      logger,
    })
    onShutdown('SD pipeline', () => pipeline.release())
    // One small run so the first job does not pay the sessions' warm-up.
    await pipeline.generate({ prompt: 'warm up', seed: 0, steps: 1, width: 64, height: 64 })
    logger.info(
      { modelDir, providers: pipeline.providers, ...pipeline.labels },
      'SD pipeline loaded',
    )
    const providers = reportExecutionProviders({
      requested: config.EXECUTION_PROVIDERS,
      inUse: pipeline.providers,
      requireGpu: config.REQUIRE_GPU,
      registry: metrics.registry,
      logger,
    })
    addReadinessCheck(providers.readiness)

    // Slots wait for Redis to return (queue role); metrics reads fail fast (cache role).
    const slotsRedis = createRedis(config.REDIS_URL, { role: 'queue', name: 'gpu-slots', logger })
    onShutdown('redis (slots)', () => closeRedis(slotsRedis))
    const metricsRedis = createRedis(config.REDIS_URL, {
      role: 'cache',
      name: 'gpu-worker',
      logger,
    })
    onShutdown('redis (metrics)', () => closeRedis(metricsRedis))
    addReadinessCheck({ name: 'redis', check: () => metricsRedis.ping() })
    addReadinessCheck(
      queueRedisCheck(metricsRedis, { allowVolatile: config.QUEUE_REDIS_ALLOW_VOLATILE }),
    )
    // Where images go: a bucket (MOCKUP_STORAGE_URL) is checked for readiness, a folder is not.
    const storage = createMockupStorage(config)
    for (const check of storageReadinessChecks(storage)) addReadinessCheck(check)
    // Slots belong to the physical device, so pods on other GPUs never wait on these.
    const gpuUuids = await readGpuUuids(process.env.CUDA_VISIBLE_DEVICES)
    const slotDevice = resolveSlotDevice({
      gpuUuids,
      explicit: config.GPU_DEVICE,
      hostname: hostname(),
    })
    logger.info({ ...slotDevice, gpuUuids }, 'GPU slots keyed by device')
    const semaphore = new SlotSemaphore(slotsRedis, {
      slots: config.GPU_SLOTS,
      device: slotDevice.device,
      prefix: `${settings.prefix}:gpu`,
    })

    let warned = false
    registerGpuMetrics(
      metrics.registry,
      createNvidiaSmiReader({
        onError: (err) => {
          if (warned) return
          warned = true
          logger.info(
            { err: (err as Error).message },
            'no GPU readings (nvidia-smi): GPU gauges absent',
          )
        },
      }),
    )
    registerRedisQueueCollector(metrics.registry, ALL_QUEUES, {
      redis: metricsRedis,
      prefix: settings.prefix,
    })

    if (!providers.verdict.ok) {
      // Not ready is not enough for a queue consumer (no traffic to withhold):
      // taking jobs would run them on the CPU that REQUIRE_GPU refuses.
      logger.error({ reason: providers.verdict.message }, 'taking no mock-up jobs')
      return
    }

    const records = createMockupRecords(pool)
    const worker = createWorker<MockupJob, MockupJobResult>(
      QUEUE_NAMES.mockups,
      mockupProcessor({
        pipeline,
        semaphore,
        slotMetrics: createGpuSlotMetrics(metrics.registry),
        records,
        storage,
        recordStages: mockupStageRecorder(metrics.registry, pipeline.labels),
        logger,
      }),
      {
        redisUrl: config.REDIS_URL,
        settings,
        concurrency: config.GPU_WORKER_CONCURRENCY,
        name: 'gpu-worker',
        logger,
        registry: metrics.registry,
      },
    )
    worker.worker.on('failed', (job, err) => {
      recordFinalFailure(records, job, err).catch((e: unknown) =>
        logger.error({ err: e, job: job?.id }, 'could not mark the mock-up failed'),
      )
    })
    // Closing waits for the job in hand, so the worker stops after its image.
    onShutdown('mockups worker', () => worker.close())
    logger.info(
      { slots: config.GPU_SLOTS, device: slotDevice.device, provider: pipeline.providers.unet },
      'gpu worker consuming mockups',
    )
  },
})
