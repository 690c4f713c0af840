/**
 * Runs sessions of one simulated IdP against one SCIM endpoint: a fresh simulator per session
 * (its own source, links and credentials), names prefixed by the run so a shared target is
 * never confused, and the session's objects removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { EntraProvisioner } from './entra/entra-provisioner.js';
import type { EntraMode } from './entra/patch-body.js';
import { IdpSource } from './idp-source/idp-source.js';
import { PingProvisioner } from './ping/ping-provisioner.js';
import { PING_PROFILES, type PingProfileId } from './ping/profiles.js';
import type { LogEntry, Provisioner } from './provisioning/provisioner.js';
import type { RosterPortal } from './roster/portal.js';
import { SESSIONS, unknownSessions } from './sessions/catalog.js';
import { type AuthKind, type Check, SessionContext, SessionSkipped, type Sizes } from './sessions/context.js';
import { type Credentials, clientCredentials, staticBearer } from './wire/credentials.js';
import { ScimClient } from './wire/scim-client.js';
import type { TargetCredentials } from './wire/target.js';

export type IdpProfile =
  | { idp: 'entra'; mode: EntraMode }
  | { idp: 'ping'; profile: PingProfileId; groupUpdates?: 'put' | 'patch' };

export type { TargetCredentials };

export interface RunOptions {
  profile: IdpProfile;
  target: TargetCredentials;
  /** Session ids; all when absent. */
  sessions?: string[];
  sizes?: Partial<Sizes>;
  /** Members per membership PATCH (Entra). */
  memberBatchSize?: number;
  maxTokenWaitSeconds?: number;
  portal?: RosterPortal;
  onProgress?: (message: string) => void;
}

/** What one simulator needs: its IdP, its target, and optionally what sends its requests. */
export type ProvisionerOptions = Pick<RunOptions, 'profile' | 'target' | 'memberBatchSize'> & {
  /** Every request of the simulator, token requests included, goes through it; the global `fetch` when absent. */
  fetch?: typeof fetch;
  /**
   * The job's credentials, when they outlive one provisioner: an IdP's job keeps its access token
   * from cycle to cycle until it expires (`credentialsFor` makes them). Absent: new ones.
   */
  credentials?: Credentials;
};

export interface SessionResult {
  id: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped, or the error that stopped it. */
  reason?: string;
  checks: Check[];
  /** Every failure in the IdP's log, expected ones included (a 409 a session provokes). */
  log: LogEntry[];
  requests: number;
  writes: number;
  ms: number;
}

export interface RunResult {
  label: string;
  auth: AuthKind;
  baseUrl: string;
  startedAt: string;
  sessions: SessionResult[];
  passed: boolean;
}

export const DEFAULT_SIZES: Sizes = { users: 20, groups: 3, membersPerGroup: 8 };

const profileName = (profile: IdpProfile) =>
  profile.idp === 'entra' ? `entra/${profile.mode}` : `ping/${profile.profile}`;

export function credentialsFor({ profile, target, fetch }: ProvisionerOptions): Credentials {
  if (target.oauth) {
    return clientCredentials({
      ...target.oauth,
      // Microsoft's validation posts the secret in the form (docs/reference/entra.md#authentication); Ping
      // uses HTTP Basic.
      clientAuthentication: profile.idp === 'entra' ? 'client_secret_post' : 'client_secret_basic',
      fetch,
    });
  }
  if (!target.token) throw new Error('Give a bearer token or OAuth client credentials.');
  return staticBearer(target.token);
}

export function createProvisioner(options: ProvisionerOptions, source: IdpSource): Provisioner {
  const { profile } = options;
  const ping = profile.idp === 'ping' ? PING_PROFILES[profile.profile] : undefined;
  const client = new ScimClient({
    baseUrl: options.target.baseUrl,
    credentials: options.credentials ?? credentialsFor(options),
    spaceEncoding: ping ? '%20' : '+',
    userAgent: ping
      ? `Roster conformance (${ping.label} simulator)`
      : 'Roster conformance (Entra ID simulator)',
    fetch: options.fetch,
  });
  if (profile.idp === 'entra') {
    return new EntraProvisioner(source, client, {
      mode: profile.mode,
      ...(options.memberBatchSize ? { memberBatchSize: options.memberBatchSize } : {}),
    });
  }
  return new PingProvisioner(source, client, {
    ...(ping as (typeof PING_PROFILES)[PingProfileId]),
    ...(profile.groupUpdates ? { groupUpdates: profile.groupUpdates } : {}),
  });
}

export async function runConformance(options: RunOptions): Promise<RunResult> {
  const runId = randomBytes(3).toString('hex');
  const sizes = { ...DEFAULT_SIZES, ...options.sizes };
  const auth: AuthKind = options.target.oauth ? 'oauth' : 'token';
  const wanted = options.sessions ?? SESSIONS.map((s) => s.id);
  const unknown = unknownSessions(wanted);
  if (unknown) throw new Error(unknown);
  const results: SessionResult[] = [];
  let label = profileName(options.profile);
  const startedAt = new Date().toISOString();
  for (const session of SESSIONS.filter((s) => wanted.includes(s.id))) {
    const sim = createProvisioner(options, new IdpSource(`rc${runId}-${session.id}`));
    label = sim.label;
    const ctx = new SessionContext(sim, {
      sizes,
      auth,
      maxTokenWaitSeconds: options.maxTokenWaitSeconds ?? 10,
      ...(options.portal ? { portal: options.portal } : {}),
    });
    options.onProgress?.(`${sim.label} · ${session.title} …`);
    const started = Date.now();
    let status: SessionResult['status'] = 'passed';
    let reason: string | undefined;
    try {
      await session.run(ctx);
    } catch (error) {
      if (error instanceof SessionSkipped) {
        status = 'skipped';
        reason = error.message;
      } else {
        status = 'failed';
        reason = error instanceof Error ? error.message : String(error);
      }
    } finally {
      try {
        await ctx.cleanUp();
      } catch (error) {
        ctx.check('the session cleans up what it made', false, String(error));
      }
    }
    if (status === 'passed' && ctx.checks.some((c) => !c.ok)) status = 'failed';
    const result: SessionResult = {
      id: session.id,
      title: session.title,
      status,
      ...(reason ? { reason } : {}),
      checks: ctx.checks,
      log: sim.log.filter((e) => e.status === 'Failure'),
      requests: sim.client.stats.requests,
      writes: sim.client.stats.writes,
      ms: Date.now() - started,
    };
    results.push(result);
    const failed = ctx.checks.filter((c) => !c.ok).length;
    options.onProgress?.(
      `${sim.label} · ${session.title}: ${status}${reason ? ` (${reason})` : ''} — ${ctx.checks.length - failed}/${ctx.checks.length} checks, ${result.requests} requests, ${result.ms} ms`,
    );
  }
  return {
    label,
    auth,
    baseUrl: options.target.baseUrl,
    startedAt,
    sessions: results,
    passed: results.every((r) => r.status !== 'failed'),
  };
}
