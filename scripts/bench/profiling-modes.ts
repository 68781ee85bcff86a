/**
 * @module
 * The servers `benchmark_profiling.ts` runs side by side (`trivial-server.ts`):
 * none of the profiling, timing only, timing plus a fixed line, all of it.
 */
export const PROFILING_MODES = ['plain', 'timing', 'floor', 'profiled'] as const

export type ProfilingMode = (typeof PROFILING_MODES)[number]
