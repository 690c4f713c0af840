/**
 * What production must set before Roster starts. Production is the default on PostgreSQL
 * (`config.development` is off unless `ROSTER_ENV=development`), so a deployment that forgot a
 * setting stops at once with a message naming it, instead of running with URLs taken from
 * whatever Host header arrives or with a key that only this machine has.
 */
import type { Config } from '@roster/scim-server/bootstrap';

/** The settings production lacks, each as a sentence that says what to set; empty when all is well. */
export function checkProductionSettings(config: Config, env: NodeJS.ProcessEnv): string[] {
  if (config.development) return [];
  const problems: string[] = [];
  if (!config.publicUrl) {
    problems.push(
      'PUBLIC_URL is not set: set it to the URL clients reach Roster at (e.g. PUBLIC_URL=https://roster.example.com); every SCIM, OAuth and sign-in URL is built from it, never from the Host header. (ROSTER_ENV=development takes URLs from the Host header instead, for trying Roster out.)',
    );
  }
  if (!env.ROSTER_SECRET_KEY) {
    problems.push(
      'ROSTER_SECRET_KEY is not set: set it to 32 random bytes in base64 (e.g. `openssl rand -base64 32`), the same in every process; it seals stored secrets, signs access tokens and seals sign-in cookies. (ROSTER_ENV=development generates one beside the data instead.)',
    );
  }
  return problems;
}
