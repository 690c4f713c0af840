/**
 * One server secret (ROSTER_SECRET_KEY, 32 bytes), several keys: each use gets its own key derived
 * with HKDF-SHA256 under its own label, so that what one key seals or signs is worthless to
 * another use (a sealed sign-in cookie cannot be passed off as a stored secret, nor the other way
 * round) and no key is ever used for two things. The labels are fixed forever: changing one
 * changes the key, and what it sealed or signed could no longer be opened or verified.
 */
import { hkdfSync } from 'node:crypto';

/** What a derived key is for. */
export type KeyPurpose = 'secret-box' | 'cookie' | 'access-token';

const SALT = 'roster';
const LABELS: Record<KeyPurpose, string> = {
  /** Secrets at rest that Roster reads back (the OIDC client secret it presents to the IdP). */
  'secret-box': 'roster secret-box v1',
  /** The sign-in cookie holding a login in progress (state, nonce, PKCE verifier). */
  cookie: 'roster cookie v1',
  /** HS256 signatures of OAuth access tokens; the label access tokens were first signed under. */
  'access-token': 'oauth access token signing',
};

/** The 32-byte key for `purpose`, derived from the server secret. */
export function deriveKey(serverSecret: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, SALT, LABELS[purpose], 32));
}
