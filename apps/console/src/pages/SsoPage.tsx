/**
 * Identity Configuration → SSO: how members sign in, with OpenID Connect or SAML 2.0. The values
 * the identity provider needs (redirect URI, ACS URL, entity id) are shown to copy; the client
 * secret is write-only (the API never returns it). Fields are checked by the browser as typed and
 * by the API on Save, whose refusals are shown field by field in its words. "Test sign-in" tries
 * the saved settings before SSO is enabled (SsoTestSignIn.tsx).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, type Ok, ok } from '../api/client';
import { Choice } from '../components/Choice';
import { CopyField } from '../components/CopyField';
import { ErrorMessage, Loading } from '../components/feedback';
import { Switch } from '../components/Switch';
import { useOrg } from '../session';
import { SsoTestSignIn } from './SsoTestSignIn';

type Sso = Ok<'getSso'>;
type Claim = Sso['oidc']['userNameClaim'];

interface Form {
  enabled: boolean;
  protocol: 'oidc' | 'saml';
  issuer: string;
  clientId: string;
  clientSecret: string;
  userNameClaim: Claim;
  entryPoint: string;
  idpEntityId: string;
  certificate: string;
  userNameAttribute: string;
}

const formOf = (sso: Sso): Form => ({
  enabled: sso.enabled,
  protocol: sso.protocol,
  issuer: sso.oidc.issuer ?? '',
  clientId: sso.oidc.clientId ?? '',
  clientSecret: '',
  userNameClaim: sso.oidc.userNameClaim,
  entryPoint: sso.saml.entryPoint ?? '',
  idpEntityId: sso.saml.idpEntityId ?? '',
  certificate: '',
  userNameAttribute: sso.saml.userNameAttribute ?? '',
});

export function SsoPage() {
  const org = useOrg();
  const sso = useQuery({
    queryKey: ['sso', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/identity/sso', { params: { path: { org } } })),
  });
  return (
    <>
      <h1>SSO</h1>
      <p className="lead muted">
        Members of {org} sign in through your identity provider. Register Roster there with the values below,
        then enter what the identity provider gives you.
      </p>
      {sso.isPending ? <Loading /> : null}
      {sso.error ? <ErrorMessage error={sso.error} /> : null}
      {sso.data ? <SsoForm org={org} saved={sso.data} /> : null}
    </>
  );
}

function SsoForm({ org, saved }: { org: string; saved: Sso }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(saved));
  const [savedNotice, setSavedNotice] = useState(false);
  useEffect(() => setForm(formOf(saved)), [saved]);
  const set = (change: Partial<Form>) => {
    setSavedNotice(false);
    setForm((current) => ({ ...current, ...change }));
  };
  const save = useMutation({
    mutationFn: () => {
      const oidc =
        form.issuer || form.clientId
          ? {
              issuer: form.issuer.trim(),
              clientId: form.clientId.trim(),
              userNameClaim: form.userNameClaim,
              ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
            }
          : undefined;
      // The certificate is write-only too: sent when entered (SAML needs one on every save).
      const saml =
        form.protocol === 'saml'
          ? {
              entryPoint: form.entryPoint.trim(),
              certificate: form.certificate,
              userNameAttribute: form.userNameAttribute.trim() || null,
              ...(form.idpEntityId.trim() ? { idpEntityId: form.idpEntityId.trim() } : {}),
            }
          : undefined;
      return ok(
        api.PUT('/api/v1/orgs/{org}/identity/sso', {
          params: { path: { org } },
          body: {
            enabled: form.enabled,
            protocol: form.protocol,
            ...(oidc && form.protocol === 'oidc' ? { oidc } : {}),
            ...(saml ? { saml } : {}),
          },
        }),
      );
    },
    onSuccess: (data) => {
      queryClient.setQueryData(['sso', org], data);
      setSavedNotice(true);
    },
  });
  const ids = {
    issuer: useId(),
    clientId: useId(),
    secret: useId(),
    claim: useId(),
    entry: useId(),
    entity: useId(),
    cert: useId(),
    attr: useId(),
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <section className="card" aria-labelledby="sso-heading">
        <h2 id="sso-heading">Single sign-on</h2>
        <Switch label="SSO" checked={form.enabled} onChange={(on) => set({ enabled: on })} />
        <CopyField
          label="Sign-in URL"
          value={saved.signInUrl}
          description="Where members start signing in (the console sends them there too)."
        />
        <fieldset>
          <legend>Protocol</legend>
          <div className="inline-choices">
            <Choice
              type="radio"
              name="protocol"
              label="OpenID Connect"
              checked={form.protocol === 'oidc'}
              onChange={() => set({ protocol: 'oidc' })}
            />
            <Choice
              type="radio"
              name="protocol"
              label="SAML 2.0"
              checked={form.protocol === 'saml'}
              onChange={() => set({ protocol: 'saml' })}
            />
          </div>
        </fieldset>
      </section>

      {form.protocol === 'oidc' ? (
        <section className="card" aria-labelledby="oidc-heading">
          <h2 id="oidc-heading">OpenID Connect</h2>
          <CopyField
            label="Redirect URI"
            value={saved.redirectUri}
            description="Register it for Roster's application at your OpenID provider (Entra ID: a Web redirect URI)."
          />
          <div className="field">
            <label htmlFor={ids.issuer}>Issuer</label>
            <p className="hint" id={`${ids.issuer}-hint`}>
              An https URL, e.g. https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0
            </p>
            <input
              id={ids.issuer}
              type="url"
              required={form.enabled}
              pattern="https?://.+"
              aria-describedby={`${ids.issuer}-hint`}
              value={form.issuer}
              onChange={(event) => set({ issuer: event.currentTarget.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.clientId}>Client ID</label>
            <input
              id={ids.clientId}
              type="text"
              required={form.enabled}
              value={form.clientId}
              onChange={(event) => set({ clientId: event.currentTarget.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.secret}>Client secret</label>
            <p className="hint" id={`${ids.secret}-hint`}>
              {saved.oidc.clientSecretSet
                ? 'A secret is stored (it is never shown). Leave this empty to keep it.'
                : 'Write-only: stored sealed, never shown again.'}
            </p>
            <input
              id={ids.secret}
              type="password"
              autoComplete="off"
              aria-describedby={`${ids.secret}-hint`}
              value={form.clientSecret}
              onChange={(event) => set({ clientSecret: event.currentTarget.value })}
            />
          </div>
          <div className="field narrow">
            <label htmlFor={ids.claim}>User name claim</label>
            <select
              id={ids.claim}
              value={form.userNameClaim}
              onChange={(event) => set({ userNameClaim: event.currentTarget.value as Claim })}
            >
              <option value="email">email (verified)</option>
              <option value="preferred_username">preferred_username (Entra ID)</option>
              <option value="upn">upn</option>
            </select>
          </div>
        </section>
      ) : (
        <section className="card" aria-labelledby="saml-heading">
          <h2 id="saml-heading">SAML 2.0</h2>
          <CopyField
            label="ACS URL (Reply URL)"
            value={saved.samlAcsUrl}
            description="The assertion consumer service URL to register at your identity provider."
          />
          <CopyField
            label="Entity ID (metadata URL)"
            value={saved.samlMetadataUrl}
            description="Roster's service provider metadata; its URL is also Roster's entity id."
          />
          <div className="field">
            <label htmlFor={ids.entry}>Sign-on URL</label>
            <input
              id={ids.entry}
              type="url"
              required
              value={form.entryPoint}
              onChange={(event) => set({ entryPoint: event.currentTarget.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.entity}>Identity provider entity ID (optional)</label>
            <input
              id={ids.entity}
              type="text"
              value={form.idpEntityId}
              onChange={(event) => set({ idpEntityId: event.currentTarget.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.cert}>Signing certificate</label>
            <p className="hint" id={`${ids.cert}-hint`}>
              PEM or base64.{' '}
              {saved.saml.certificateSha256
                ? `Stored: SHA-256 ${saved.saml.certificateSha256}. Paste it again to save.`
                : ''}
            </p>
            <textarea
              id={ids.cert}
              required
              aria-describedby={`${ids.cert}-hint`}
              value={form.certificate}
              onChange={(event) => set({ certificate: event.currentTarget.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.attr}>User name attribute (optional)</label>
            <p className="hint" id={`${ids.attr}-hint`}>
              Empty: the NameID is the member's user name.
            </p>
            <input
              id={ids.attr}
              type="text"
              aria-describedby={`${ids.attr}-hint`}
              value={form.userNameAttribute}
              onChange={(event) => set({ userNameAttribute: event.currentTarget.value })}
            />
          </div>
        </section>
      )}

      {save.error ? <ErrorMessage error={save.error} /> : null}
      {savedNotice && !save.error ? (
        <p className="notice notice-ok" role="status">
          Saved.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      <SsoTestSignIn org={org} dirty={JSON.stringify(form) !== JSON.stringify(formOf(saved))} />
    </form>
  );
}
