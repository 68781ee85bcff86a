/**
 * @module
 * Whose a `signal-ingestion` job is: the tenant it carries, or for a job queued
 * before tenants existed, its poster's name (every key's default tenant).
 */
import type { SignalIngestionJob } from '../../edge/contracts/signals.ts'

/** The tenant of job payload `data`. */
export function signalJobTenant(data: Pick<SignalIngestionJob, 'postedBy' | 'tenant'>): string {
  return data.tenant ?? data.postedBy
}
