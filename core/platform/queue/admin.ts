/**
 * @module
 * Operator actions on a queue's jobs (`npm run queue`): list the jobs of one
 * state, re-drive failed (or completed) ones, drop them. Failed jobs are kept
 * for 7 days (RETENTION) and page (QueueJobsFailed) until someone acts. BullMQ's
 * Queue API does the work, so the scripts that move jobs stay BullMQ's own.
 */
import type { Job, Queue } from 'bullmq'
import { z } from 'zod'

/** States `list` and `drop` accept; `active` is left out: a worker holds its lock. */
export const JOB_STATES = ['failed', 'completed', 'wait', 'prioritized', 'delayed'] as const
/** States `retry` accepts: only finished jobs can be moved back to wait. */
export const RETRY_STATES = ['failed', 'completed'] as const

export type JobState = (typeof JOB_STATES)[number]
export type RetryState = (typeof RETRY_STATES)[number]

/** What an operator sees of one job. */
export const jobSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  attemptsMade: z.number().int(),
  failedReason: z.string().optional(),
  finishedOn: z.number().optional(),
})
export type JobSummary = z.infer<typeof jobSummarySchema>

/** A job as {@link JobSummary}; validated because a job's hash is whatever Redis holds. */
export function summarize(job: Job): JobSummary {
  return jobSummarySchema.parse({
    id: job.id ?? '?',
    name: job.name,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason || undefined,
    finishedOn: job.finishedOn ?? undefined,
  })
}

/** The newest `limit` jobs of `state`. */
export async function jobsIn(queue: Queue, state: JobState, limit: number): Promise<Job[]> {
  return queue.getJobs(state, 0, limit - 1)
}

/** What became of the jobs an action was asked to touch. */
export interface ActionResult {
  done: JobSummary[]
  /** Jobs that changed state (or vanished) since they were listed, with why. */
  skipped: { job: JobSummary; reason: string }[]
}

/**
 * Moves finished jobs back to wait with a fresh attempt budget: without the
 * reset a job that used its 10 attempts fails for good on its first new try.
 */
export function retryJobs(jobs: readonly Job[], state: RetryState): Promise<ActionResult> {
  return eachJob(jobs, (job) =>
    job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true }),
  )
}

/** Removes the jobs (data, error and logs); a locked (active) job is skipped. */
export function dropJobs(jobs: readonly Job[]): Promise<ActionResult> {
  return eachJob(jobs, (job) => job.remove())
}

/** One at a time, so a job another operator moved meanwhile is reported, not fatal. */
async function eachJob(
  jobs: readonly Job[],
  act: (job: Job) => Promise<unknown>,
): Promise<ActionResult> {
  const result: ActionResult = { done: [], skipped: [] }
  for (const job of jobs) {
    const summary = summarize(job)
    try {
      await act(job)
      result.done.push(summary)
    } catch (err) {
      result.skipped.push({ job: summary, reason: (err as Error).message })
    }
  }
  return result
}

/** One line per job: id, name, attempts, finish time (ISO) and the error cut to `reasonWidth`. */
export function formatJobs(jobs: readonly JobSummary[], reasonWidth = 100): string {
  const rows = jobs.map((j) => [
    j.id,
    j.name,
    String(j.attemptsMade),
    j.finishedOn === undefined ? '-' : new Date(j.finishedOn).toISOString(),
    truncate((j.failedReason ?? '-').replace(/\s+/g, ' '), reasonWidth),
  ])
  const header = ['id', 'name', 'attempts', 'finishedOn', 'failedReason']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`
}
