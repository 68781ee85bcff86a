/**
 * @module
 * `npm run migrate`: applies pending migrations to `DATABASE_URL`.
 */
import { loadConfigOrExit } from '../config/index.ts'
import { createLogger } from '../logger.ts'
import { migrate } from './migrate.ts'
import { createPool } from './pool.ts'

const config = loadConfigOrExit()
const logger = createLogger({ service: 'migrate', level: config.LOG_LEVEL })
if (!config.DATABASE_URL) {
  logger.fatal(
    'DATABASE_URL must be set: the database to migrate, e.g. postgres://user@host:5432/db',
  )
  process.exit(78)
}
const pool = createPool({ url: config.DATABASE_URL, size: 1, name: 'migrate', logger })
try {
  const applied = await migrate(pool, { logger })
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'up to date')
} catch (err) {
  logger.fatal({ err }, 'migration failed')
  process.exitCode = 1
} finally {
  await pool.end()
}
