/**
 * @module
 * Demo-data generators (development tooling): seeded signals and storefront
 * events with skewed popularity and a day/night rhythm, and their seeders.
 * `npm start`, the benchmarks and the tests use them; no service does.
 */
export { type AnalyticsSeedOptions, seedAnalytics } from './analytics.ts'
export { countSignals, seedSignals } from './seed-signals.ts'
export { DEMO_TOPICS, type GenerateOptions, generateSignals } from './signals.ts'
