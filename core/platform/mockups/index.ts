/** @module Mock-ups shared by core and the GPU worker: request limits, the row and its SQL. */
export {
  createMockupRecords,
  type MockupRecord,
  type MockupRecords,
  type MockupStatus,
  type NewMockup,
} from './record.ts'
export {
  MOCKUP_DEFAULTS,
  MOCKUP_LIMITS,
  type MockupRequest,
  mockupRequestSchema,
} from './request.ts'
