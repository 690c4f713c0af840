export { connectDatabase, type DatabaseHandle, type DatabaseOptions } from './connect.js';
export { foreignKeyViolation, isUnavailable, uniqueViolation } from './errors.js';
export { migrateToLatest } from './migrator.js';
export { openDatabase } from './open.js';
export type * from './tables.js';
