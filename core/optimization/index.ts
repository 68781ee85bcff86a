/** @module The optimization service: experiment routes over the metrics store. */
export { type ExperimentRoutesOptions, experimentRoutes } from './routes.ts'
export * from './store/index.ts'
