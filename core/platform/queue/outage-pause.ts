/**
 * @module
 * How long a worker stops taking jobs while a dependency (the database) is
 * away: the pause doubles with each round the outage lasts, up to a cap, and
 * the state is dropped on the first job that succeeds. Pure: the caller gives
 * the clock.
 */

/** First and longest pause; from {@link QueueSettings}. */
export interface OutagePauseSettings {
  firstMs: number
  maxMs: number
}

/** One ongoing outage as this worker sees it. */
export interface OutageState {
  /** When the first job hit it. */
  since: number
  /** The current round's pause. */
  pauseMs: number
  /** When the current round's pause ends. */
  until: number
}

/**
 * The state after a job hit the outage at `now`. Jobs that were already in
 * flight when the round began (concurrency > 1) fall into the same round, so
 * the pause grows per round, not per job.
 */
export function nextOutageState(
  state: OutageState | undefined,
  now: number,
  settings: OutagePauseSettings,
): OutageState {
  if (!state) return { since: now, pauseMs: settings.firstMs, until: now + settings.firstMs }
  if (now < state.until) return state
  const pauseMs = Math.min(settings.maxMs, state.pauseMs * 2)
  return { since: state.since, pauseMs, until: now + pauseMs }
}
