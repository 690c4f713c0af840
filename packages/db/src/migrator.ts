import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { distributeSchema } from './citus.js';
import * as scimCore from './migrations/2026_11_22_0001_scim_core.js';
import * as portal from './migrations/2026_11_22_0002_portal.js';
import * as oauth from './migrations/2026_11_22_0003_oauth.js';
import * as sessions from './migrations/2026_11_22_0004_sessions.js';
import * as saml from './migrations/2026_11_22_0005_saml.js';
import * as paging from './migrations/2026_11_22_0006_paging.js';
import * as rateLimits from './migrations/2026_11_22_0007_rate_limits.js';
import * as onboarding from './migrations/2026_12_07_0010_onboarding.js';
import * as signInBindings from './migrations/2026_12_07_0020_sign_in_bindings.js';
import * as limitsAndTokens from './migrations/2026_12_07_0030_limits_and_tokens.js';
import * as provisioningActivity from './migrations/2026_12_07_0060_provisioning_activity.js';
import * as events from './migrations/2026_12_08_0030_events.js';
import * as webhooks from './migrations/2026_12_08_0040_webhooks.js';
import * as activityLastTimes from './migrations/2026_12_08_0080_activity_last_times.js';
import * as ssoSignInTests from './migrations/2026_12_08_0090_sso_sign_in_tests.js';
import type { Database } from './tables.js';

/**
 * Migrations are listed here rather than read from a folder, so they work the same from sources
 * (tests), from the compiled package and inside a bundle. Names sort in execution order.
 */
const migrations: Record<string, Migration> = {
  '2026_11_22_0001_scim_core': scimCore,
  '2026_11_22_0002_portal': portal,
  '2026_11_22_0003_oauth': oauth,
  '2026_11_22_0004_sessions': sessions,
  '2026_11_22_0005_saml': saml,
  '2026_11_22_0006_paging': paging,
  '2026_11_22_0007_rate_limits': rateLimits,
  '2026_12_07_0010_onboarding': onboarding,
  '2026_12_07_0020_sign_in_bindings': signInBindings,
  '2026_12_07_0030_limits_and_tokens': limitsAndTokens,
  '2026_12_07_0060_provisioning_activity': provisioningActivity,
  '2026_12_08_0030_events': events,
  '2026_12_08_0040_webhooks': webhooks,
  '2026_12_08_0080_activity_last_times': activityLastTimes,
  '2026_12_08_0090_sso_sign_in_tests': ssoSignInTests,
};

/** Exported for tests that migrate to a point in between. */
export const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date; throws with the failing migration's name. Then, on a database with
 * the citus extension, distributes whatever is not distributed yet (citus.ts; nothing elsewhere).
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
      cause: error,
    });
  }
  await distributeSchema(db);
}
