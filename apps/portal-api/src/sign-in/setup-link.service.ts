/**
 * Redeeming the operator's one-time setup link: the link is marked used, the session started and
 * the sign-in audited in one transaction, so a link never yields two sessions and a sign-in is
 * never recorded without its session. Each refusal says what to do.
 */
import type { Database } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { findOrganizationBySlug } from '@roster/directory/organizations';
import { createSession } from '@roster/directory/sessions';
import { redeemSetupLink } from '@roster/directory/setup-links';
import type { Transaction } from 'kysely';
import { PortalError } from '../portal-error.js';

const reissue = (slug: string) =>
  `Ask your Roster operator for a new one (roster create-manager ${slug} <your email>).`;

/** In the route's transaction: redeems the link, starts the session and audits the sign-in. */
export async function startSetupLinkSession(
  trx: Transaction<Database>,
  slug: string,
  token: string,
  lifetimeSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const org = await findOrganizationBySlug(trx, slug);
  if (!org)
    throw new PortalError(404, 'setup_link_invalid', `This setup link is not valid. ${reissue(slug)}`);
  const link = await redeemSetupLink(trx, org.id, token);
  switch (link.outcome) {
    case 'invalid':
      throw new PortalError(404, 'setup_link_invalid', `This setup link is not valid. ${reissue(slug)}`);
    case 'used':
      throw new PortalError(
        410,
        'setup_link_used',
        `This setup link has already been used. ${reissue(slug)}`,
      );
    case 'expired':
      throw new PortalError(410, 'setup_link_expired', `This setup link has expired. ${reissue(slug)}`);
    case 'member_inactive':
      throw new PortalError(
        403,
        'member_deactivated',
        `${link.userName} is deactivated in ${slug}. ${reissue(slug)} It reactivates you.`,
      );
  }
  const session = await createSession(trx, {
    orgId: org.id,
    memberId: link.member.id,
    method: 'setup_link',
    lifetimeSeconds,
  });
  await recordAuditEvent(trx, {
    orgId: org.id,
    actor: { type: 'member', id: link.member.id },
    action: 'member.signed_in',
    target: { type: 'member', id: link.member.id },
    changes: { method: 'setup_link', setupLinkId: link.linkId },
  });
  return { token: session.token, expiresAt: session.expiresAt };
}
