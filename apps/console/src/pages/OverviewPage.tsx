/** The organization's home: what it is, and where each step of the set-up is. */

import { PATHS } from '../paths';
import { Link, pageUrl } from '../router';
import { useMe, useOrg, useOrganization } from '../session';

export function OverviewPage() {
  const org = useOrg();
  const organization = useOrganization(org);
  const me = useMe(org);
  const manager = me.data?.effectiveRole === 'manager';
  return (
    <>
      <h1>Overview</h1>
      <section className="card" aria-labelledby="org-heading">
        <h2 id="org-heading">{organization.data?.name ?? org}</h2>
        <dl className="facts">
          <dt>Organization</dt>
          <dd className="mono">{org}</dd>
          <dt>Plan</dt>
          <dd>{organization.data ? planName(organization.data.plan) : '…'}</dd>
          <dt>RBAC</dt>
          <dd>{organization.data ? (organization.data.rbacEnabled ? 'On' : 'Off') : '…'}</dd>
        </dl>
      </section>
      {manager ? (
        <section className="card" aria-labelledby="setup-heading">
          <h2 id="setup-heading">Set up provisioning</h2>
          <ol className="steps">
            <li>
              Configure single sign-on under{' '}
              <Link href={pageUrl(org, PATHS.sso)}>Identity Configuration → SSO</Link>.
            </li>
            <li>
              For the HTTP Header method, create a system key on{' '}
              <Link href={pageUrl(org, PATHS.apiKeys)}>API Keys</Link>.
            </li>
            <li>
              Turn on SCIM under{' '}
              <Link href={pageUrl(org, PATHS.provisioning)}>Identity Configuration → Provisioning</Link> and
              copy what your identity provider asks for.
            </li>
          </ol>
        </section>
      ) : null}
    </>
  );
}

const planName = (plan: string) => plan.charAt(0).toUpperCase() + plan.slice(1);
