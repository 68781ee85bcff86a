/** @module The edge's readiness: core answers and both read the same schema version. */
export { type CheckResult, checkReadiness, type ReadyzReport, readyzRoute } from './readyz.ts'
export { readSchemaVersion, SCHEMA_VERSION_SQL, schemaVersionBody } from './schema-version.ts'
