/** @module Logging on the edge runtimes. */
export {
  type ConsoleLoggerOptions,
  createConsoleLogger,
  type EdgeLogger,
  LEVEL_VALUES,
} from './console-logger.ts'
