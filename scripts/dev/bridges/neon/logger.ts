/**
 * @module
 * The logger the Neon bridges take: any pino logger fits. Silent by default.
 */
import type { Logger } from 'pino'
import { pino } from 'pino'

/** The logger calls the bridges make. */
export type BridgeLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>

/** A logger that drops everything, for when none is given. */
export const silentLogger = (): BridgeLogger => pino({ enabled: false })
