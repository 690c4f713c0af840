/**
 * Signing secrets in the Standard Webhooks format: `whsec_` and 32 random bytes in base64. Roster
 * must read the secret back to sign, so it is sealed with the server key (@roster/auth/secret-box),
 * never hashed, and shown to the manager once, when created or rotated.
 */
import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret } from '@roster/auth/secret-box';

const PREFIX = 'whsec_';

export function newSigningSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

export const sealSigningSecret = (secret: string, serverKey: Buffer) => sealSecret(secret, serverKey);

export const openSigningSecret = (sealed: string, serverKey: Buffer) => openSecret(sealed, serverKey);
