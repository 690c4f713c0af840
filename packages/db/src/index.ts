export { type DistributionResult, distributeInTransaction, distributeSchema, hasCitus } from './citus.js';
export { connectDatabase, type DatabaseHandle, type DatabaseOptions } from './connect.js';
export { foreignKeyViolation, isUnavailable, uniqueViolation } from './errors.js';
export {
  type ChannelSubscriber,
  LISTENER_APPLICATION_NAME,
  type ListenOptions,
  type StopListening,
} from './listen.js';
export { DATA_DIR_LOCK_STALE_MS, DataDirLockedError, type DataDirLockOptions, lockDataDir } from './lock.js';
export { migrateToLatest } from './migrator.js';
export { type OpenDatabaseOptions, openDatabase } from './open.js';
export { deleteInBatches, RetentionJob, type RetentionJobOptions } from './retention.js';
export type * from './tables.js';
