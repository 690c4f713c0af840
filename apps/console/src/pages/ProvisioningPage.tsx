/**
 * Identity Configuration → Provisioning, worded as the Entra ID and Ping Identity set-up guides
 * word it: Manual or Use Identity Provider, the SCIM switch, HTTP Header or OAuth2, the URL from
 * the SCIM API endpoint to copy, the OAuth2 fields to copy (the client secret shown once), Provision
 * existing users, Sync SCIM groups (behind the Enable groups sync dialog), Save. A refusal is shown
 * in the API's words, with a link to the page that fixes it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError, api, type Ok, ok } from '../api/client';
import { Choice } from '../components/Choice';
import { CopyField } from '../components/CopyField';
import { Dialog } from '../components/Dialog';
import { ErrorMessage, Loading } from '../components/feedback';
import { Switch } from '../components/Switch';
import { PATHS } from '../paths';
import { Link, pageUrl } from '../router';
import { useOrg, useOrganization } from '../session';
import { AdoptionPreview } from './provisioning/AdoptionPreview';
import { OAuthClientSecrets } from './provisioning/OAuthClientSecrets';
import { Preconditions } from './provisioning/Preconditions';

type Provisioning = Ok<'getProvisioning'>;
type Form = Pick<
  Provisioning,
  'mode' | 'scimEnabled' | 'authMethod' | 'provisionExistingUsers' | 'syncGroups'
>;

const formOf = (p: Provisioning): Form => ({
  mode: p.mode,
  scimEnabled: p.scimEnabled,
  authMethod: p.authMethod,
  provisionExistingUsers: p.provisionExistingUsers,
  syncGroups: p.syncGroups,
});

/** The page that fixes each refusal of Save, by its code. */
export const FIX_PAGES: Record<string, { path: string; label: string } | undefined> = {
  scim_requires_sso: { path: PATHS.sso, label: 'Go to Identity Configuration → SSO' },
  scim_requires_scim_key: { path: PATHS.apiKeys, label: 'Go to API Keys' },
  group_sync_requires_rbac: { path: PATHS.settings, label: 'Go to Organization settings' },
};

export function useProvisioning(org: string) {
  return useQuery({
    queryKey: ['provisioning', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/identity/provisioning', { params: { path: { org } } })),
  });
}

export function ProvisioningPage() {
  const org = useOrg();
  const provisioning = useProvisioning(org);
  return (
    <>
      <h1>Provisioning</h1>
      <p className="lead muted">
        How members get into {org}: added by hand here, or provisioned by your identity provider over SCIM.
      </p>
      {provisioning.error ? <ErrorMessage error={provisioning.error} /> : null}
      {provisioning.data ? <ProvisioningForm org={org} saved={provisioning.data} /> : null}
      {provisioning.isPending ? <Loading /> : null}
    </>
  );
}

function ProvisioningForm({ org, saved }: { org: string; saved: Provisioning }) {
  const queryClient = useQueryClient();
  const organization = useOrganization(org);
  const [form, setForm] = useState<Form>(() => formOf(saved));
  const [confirmGroups, setConfirmGroups] = useState(false);
  const [groupsDialog, setGroupsDialog] = useState(false);
  // The client secret of a just-created OAuth client: in this component's memory only.
  const [newSecret, setNewSecret] = useState<string | undefined>();
  const [savedNotice, setSavedNotice] = useState(false);
  const set = (change: Partial<Form>) => {
    setSavedNotice(false);
    setForm((current) => ({ ...current, ...change }));
  };

  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/api/v1/orgs/{org}/identity/provisioning', {
          params: { path: { org } },
          body: {
            ...form,
            ...(form.syncGroups && !saved.syncGroups ? { confirmSyncGroups: confirmGroups } : {}),
          },
        }),
      ),
    onSuccess: (result) => {
      if (result.oauth?.clientSecret) setNewSecret(result.oauth.clientSecret);
      const { oauth, ...rest } = result;
      queryClient.setQueryData(['provisioning', org], {
        ...rest,
        oauth: oauth ? { ...oauth, clientSecret: undefined } : null,
      });
      void queryClient.invalidateQueries({ queryKey: ['oauth-client-secrets', org] });
      setSavedNotice(true);
    },
  });
  useEffect(() => setForm(formOf(saved)), [saved]);

  const idp = form.mode === 'identity_provider';
  const changed = JSON.stringify(form) !== JSON.stringify(formOf(saved));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <section className="card" aria-labelledby="mode-heading">
        <h2 id="mode-heading">Provisioning mode</h2>
        <fieldset>
          <legend className="sr-only">Provisioning mode</legend>
          <Choice
            type="radio"
            name="mode"
            checked={form.mode === 'manual'}
            onChange={() => set({ mode: 'manual', scimEnabled: false })}
            label="Manual"
            hint="Administrators add, change and remove members in this console."
          />
          <Choice
            type="radio"
            name="mode"
            checked={idp}
            onChange={() => set({ mode: 'identity_provider' })}
            label="Use Identity Provider"
            hint="Your identity provider (Microsoft Entra ID, Ping Identity) provisions members over SCIM."
          />
        </fieldset>
      </section>

      {idp ? (
        <section className="card" aria-labelledby="scim-heading">
          <h2 id="scim-heading">SCIM</h2>
          <Switch label="SCIM" checked={form.scimEnabled} onChange={(on) => set({ scimEnabled: on })} />
          <Preconditions org={org} form={form} organization={organization.data} />
          {form.scimEnabled ? (
            <>
              <fieldset>
                <legend>Authentication method</legend>
                <div className="inline-choices">
                  <Choice
                    type="radio"
                    name="authMethod"
                    checked={form.authMethod === 'http_header'}
                    onChange={() => set({ authMethod: 'http_header' })}
                    label="HTTP Header"
                  />
                  <Choice
                    type="radio"
                    name="authMethod"
                    checked={form.authMethod === 'oauth2'}
                    onChange={() => set({ authMethod: 'oauth2' })}
                    label="OAuth2"
                  />
                </div>
              </fieldset>
              <CopyField
                label="URL from the SCIM API endpoint"
                value={saved.scimEndpointUrl}
                description="Entra ID: the Tenant URL. Ping Identity: the SCIM BASE URL."
              />
              {form.authMethod === 'http_header' ? (
                <div className="field">
                  <p className="legend">API KEY</p>
                  <p className="hint">
                    The identity provider sends a system key with the scim scope in the Authorization header
                    (Entra ID: the Secret Token). Create one, and copy it, on the API Keys page.
                  </p>
                  <Link className="button secondary" href={pageUrl(org, PATHS.apiKeys)}>
                    API KEY
                  </Link>
                </div>
              ) : (
                <OAuthFields org={org} saved={saved} newSecret={newSecret} onNewSecret={setNewSecret} />
              )}
            </>
          ) : null}
        </section>
      ) : null}

      {idp ? (
        <section className="card" aria-labelledby="options-heading">
          <h2 id="options-heading">What the identity provider manages</h2>
          <Choice
            type="checkbox"
            label="Provision existing users"
            hint="Members already here are handed over to the identity provider when it provisions someone with the same user name."
            checked={form.provisionExistingUsers}
            onChange={(on) => set({ provisionExistingUsers: on })}
          />
          {/* The adoption preview's slot: provisioning/AdoptionPreview.tsx. */}
          <AdoptionPreview org={org} open={form.provisionExistingUsers && !saved.provisionExistingUsers} />
          <Choice
            type="checkbox"
            label="Sync SCIM groups"
            hint="The identity provider's groups become the organization's groups, with their members."
            checked={form.syncGroups}
            onChange={(on) => {
              if (on && !saved.syncGroups) setGroupsDialog(true);
              else {
                setConfirmGroups(false);
                set({ syncGroups: on });
              }
            }}
          />
          <Dialog title="Enable groups sync" open={groupsDialog} onClose={() => setGroupsDialog(false)}>
            <p>
              Enabling groups sync hands group management to the identity provider. The groups that should
              stay must already exist in the identity provider with the same names before the switch.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button"
                onClick={() => {
                  setConfirmGroups(true);
                  set({ syncGroups: true });
                  setGroupsDialog(false);
                }}
              >
                Enable
              </button>
              <button type="button" className="button secondary" onClick={() => setGroupsDialog(false)}>
                Cancel
              </button>
            </div>
          </Dialog>
        </section>
      ) : null}

      {save.error ? <Refusal org={org} error={save.error} /> : null}
      {savedNotice && !save.error ? (
        <p className="notice notice-ok" role="status">
          Saved.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        {changed ? <span className="muted small">Unsaved changes</span> : null}
      </div>
    </form>
  );
}

/** A refusal of Save in the API's words, with the page that fixes it. */
function Refusal({ org, error }: { org: string; error: unknown }) {
  const fix = error instanceof ApiError ? FIX_PAGES[error.code] : undefined;
  return (
    <ErrorMessage error={error}>
      {fix ? (
        <p>
          <Link href={pageUrl(org, fix.path)}>{fix.label}</Link>
        </p>
      ) : null}
    </ErrorMessage>
  );
}

function OAuthFields({
  org,
  saved,
  newSecret,
  onNewSecret,
}: {
  org: string;
  saved: Provisioning;
  newSecret: string | undefined;
  onNewSecret: (secret: string) => void;
}) {
  if (!saved.oauth) {
    return (
      <p className="notice notice-info">
        Save with OAuth2 selected to create the OAuth client: its Access token endpoint, Authorization
        endpoint, ClientId and ClientSecret then appear here.
      </p>
    );
  }
  return (
    <>
      <CopyField label="Access token endpoint" value={saved.oauth.tokenEndpoint} />
      <CopyField label="Authorization endpoint" value={saved.oauth.authorizationEndpoint} />
      <CopyField label="ClientId" value={saved.oauth.clientId} />
      {newSecret ? (
        <SecretOnce>
          <CopyField label="ClientSecret" value={newSecret} secret />
        </SecretOnce>
      ) : null}
      <OAuthClientSecrets org={org} onNewSecret={onNewSecret} />
    </>
  );
}

export function SecretOnce({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-warn">
      <p>
        <strong>Copy it now: it is shown only this once.</strong> Roster keeps only its hash.
      </p>
      {children}
    </div>
  );
}
