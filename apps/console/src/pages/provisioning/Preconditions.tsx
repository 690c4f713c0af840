/**
 * What SCIM provisioning needs before Save can turn it on, shown where it applies (under the SCIM
 * switch) with a link to the page that fixes it: the Enterprise plan, SSO enabled, a system key
 * for the HTTP Header method, RBAC for groups sync. Save's refusal says the same in the API's words.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type Ok, ok } from '../../api/client';
import { PATHS } from '../../paths';
import { Link, pageUrl } from '../../router';

interface Form {
  scimEnabled: boolean;
  authMethod: 'http_header' | 'oauth2';
  syncGroups: boolean;
}

export function Preconditions({
  org,
  form,
  organization,
}: {
  org: string;
  form: Form;
  organization: Ok<'getOrganization'> | undefined;
}) {
  const sso = useQuery({
    queryKey: ['sso', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/identity/sso', { params: { path: { org } } })),
  });
  const keys = useQuery({
    queryKey: ['api-keys', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/api-keys', { params: { path: { org } } })),
  });
  const unmet: { key: string; text: string; fix?: { path: string; label: string } }[] = [];
  if (form.scimEnabled && organization && organization.plan !== 'enterprise') {
    unmet.push({
      key: 'plan',
      text: `SCIM provisioning is part of the Enterprise plan and this organization is on the ${organization.plan} plan. The plan is set by the Roster operator: ask them to move the organization to Enterprise.`,
    });
  }
  if (form.scimEnabled && sso.data && !sso.data.enabled) {
    unmet.push({
      key: 'sso',
      text: 'SCIM provisioning needs single sign-on: configure and enable SSO first.',
      fix: { path: PATHS.sso, label: 'Identity Configuration → SSO' },
    });
  }
  const now = Date.now();
  const liveScimKey = keys.data?.apiKeys.some(
    (k) =>
      k.kind === 'system' &&
      k.scopes.includes('scim') &&
      !k.revokedAt &&
      (!k.expiresAt || Date.parse(k.expiresAt) > now),
  );
  if (form.scimEnabled && form.authMethod === 'http_header' && keys.data && !liveScimKey) {
    unmet.push({
      key: 'key',
      text: 'The HTTP Header method needs a system API key with the scim scope for the identity provider, and this organization has no live one.',
      fix: { path: PATHS.apiKeys, label: 'API Keys' },
    });
  }
  if (form.syncGroups && organization && !organization.rbacEnabled) {
    unmet.push({
      key: 'rbac',
      text: 'Syncing SCIM groups needs RBAC: enable RBAC for the organization first.',
      fix: { path: PATHS.settings, label: 'Organization settings' },
    });
  }
  if (unmet.length === 0) return null;
  return (
    <section className="notice notice-warn" aria-labelledby={`${org}-preconditions`}>
      <p id={`${org}-preconditions`}>
        <strong>Before you save</strong>
      </p>
      <ul className="preconditions">
        {unmet.map((item) => (
          <li key={item.key}>
            {item.text} {item.fix ? <Link href={pageUrl(org, item.fix.path)}>{item.fix.label}</Link> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
