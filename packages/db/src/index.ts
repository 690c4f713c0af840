export { connectDatabase, type DatabaseHandle, type DatabaseOptions } from './connect.js';
export { isSerializationFailure, isUnavailable, uniqueViolation } from './errors.js';
export { migrateToLatest } from './migrator.js';
export type * from './tables.js';
