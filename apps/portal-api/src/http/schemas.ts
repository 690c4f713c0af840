/** Schemas shared by several routes. */
import { SLUG } from '@roster/directory/organizations';
import { z } from 'zod';

export const orgParams = z.object({ org: z.string().regex(SLUG).describe('The organization slug') });

export const timestamp = z.iso.datetime().describe('ISO 8601 timestamp');

/** When a credential stops working: an ISO 8601 timestamp in the future. */
export const expiresAt = z.iso
  .datetime()
  .refine((value) => Date.parse(value) > Date.now(), 'expiresAt must be in the future.')
  .describe('When it stops working (ISO 8601, in the future); omitted: it never expires');

/** The hosts where plain http is let through, for development: the loopback interface (RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname);

/**
 * The rule for URLs an administrator configures that the browser is sent to (OAuth redirect URIs,
 * the SAML sign-on URL): https, or http on the loopback interface. URLs the server itself fetches
 * (the OIDC issuer) follow @roster/egress instead.
 */
export const httpsOrLoopback = (url: URL) =>
  url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
