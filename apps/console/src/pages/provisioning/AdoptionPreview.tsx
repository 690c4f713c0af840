/**
 * SLOT: the adoption preview (issue 18, item 3), shown under "Provision existing users" while it is
 * being turned on (checked, not yet saved): who will be handed over to the identity provider, who
 * will conflict, which portal groups its group names will adopt, from
 * GET /api/v1/orgs/{org}/provisioning/adoption-preview. Renders nothing until that work lands here.
 */
export function AdoptionPreview(_props: { org: string; open: boolean }) {
  return null;
}
