/**
 * API Keys: system keys (the scim scope: what an identity provider's HTTP Header method sends) and
 * personal keys (the portal API as yourself). Create (the key shown once, with Copy), scopes,
 * expiry, last used, revoke, and rotate: a new key like the old one, the old one kept working until
 * it is revoked, so the identity provider can be switched over without a gap.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { api, type Ok, ok } from '../api/client';
import { Choice } from '../components/Choice';
import { CopyField } from '../components/CopyField';
import { Dialog } from '../components/Dialog';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { formatTime } from '../format';
import { useOrg } from '../session';
import { SecretOnce } from './ProvisioningPage';

type ApiKey = Ok<'listApiKeys'>['apiKeys'][number];
type Kind = 'system' | 'personal';
type Created = { token: string; name: string; replaces?: ApiKey };

export function ApiKeysPage() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/api-keys', { params: { path: { org } } })),
  });
  // The key just made: in this page's memory only, gone when the page is left.
  const [created, setCreated] = useState<Created | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['api-keys', org] });

  const create = useMutation({
    mutationFn: (input: { kind: Kind; name: string; expiresAt?: string; replaces?: ApiKey }) =>
      ok(
        api.POST('/api/v1/orgs/{org}/api-keys', {
          params: { path: { org } },
          body: {
            kind: input.kind,
            name: input.name,
            scopes: [input.kind === 'system' ? 'scim' : 'portal'],
            ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
          },
        }),
      ).then((key) => ({ key, replaces: input.replaces })),
    onSuccess: ({ key, replaces }) => {
      setCreated({ token: key.token, name: key.name, ...(replaces ? { replaces } : {}) });
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) =>
      ok(api.DELETE('/api/v1/orgs/{org}/api-keys/{keyId}', { params: { path: { org, keyId: key.id } } })),
    onSuccess: () => {
      setRevoking(undefined);
      void refresh();
    },
  });

  const live = keys.data?.apiKeys.filter((k) => !k.revokedAt) ?? [];
  const revoked = keys.data?.apiKeys.filter((k) => k.revokedAt) ?? [];
  return (
    <>
      <h1>API Keys</h1>
      <p className="lead muted">
        A <strong>system key</strong> with the scim scope is what your identity provider sends with the HTTP
        Header method (Entra ID's Secret Token). A <strong>personal key</strong> calls the portal API as you.
      </p>

      {created ? (
        <SecretOnce>
          <CopyField
            label="API key"
            value={created.token}
            secret
            description={`The key "${created.name}".`}
          />
          {created.replaces ? (
            <p>
              The old key "{created.replaces.name}" ({created.replaces.maskedKey}) still works. Put the new
              key in the identity provider, then revoke the old one.
            </p>
          ) : null}
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => setCreated(undefined)}>
              Done
            </button>
          </div>
        </SecretOnce>
      ) : null}

      <section className="card" aria-labelledby="create-heading">
        <h2 id="create-heading">Create a key</h2>
        <CreateKeyForm pending={create.isPending} onCreate={(input) => create.mutate(input)} />
        {create.error ? <ErrorMessage error={create.error} /> : null}
      </section>

      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {keys.isPending ? <Loading /> : null}
        {keys.error ? <ErrorMessage error={keys.error} /> : null}
        {revoke.error ? <ErrorMessage error={revoke.error} /> : null}
        {keys.data && live.length === 0 ? <Empty>No live keys yet.</Empty> : null}
        {live.length > 0 ? (
          <KeyTable
            label="Live keys"
            keys={live}
            actions={(key) => (
              <>
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={`Rotate ${key.name}`}
                  disabled={create.isPending}
                  onClick={() =>
                    create.mutate({
                      kind: key.kind,
                      name: key.name,
                      replaces: key,
                    })
                  }
                >
                  Rotate
                </button>
                <button
                  type="button"
                  className="button danger small"
                  aria-label={`Revoke ${key.name}`}
                  onClick={() => setRevoking(key)}
                >
                  Revoke
                </button>
              </>
            )}
          />
        ) : null}
        {revoked.length > 0 ? (
          <details className="revoked">
            <summary>Revoked keys ({revoked.length})</summary>
            <KeyTable label="Revoked keys" keys={revoked} />
          </details>
        ) : null}
      </section>

      <Dialog title="Revoke this key?" open={revoking !== undefined} onClose={() => setRevoking(undefined)}>
        {revoking ? (
          <>
            <p>
              "{revoking.name}" ({revoking.maskedKey}) is refused from the next request on.
              {revoking.kind === 'system'
                ? ' An identity provider still using it stops provisioning until it has a new key.'
                : ''}
            </p>
            <div className="actions">
              <button
                type="button"
                className="button danger"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(revoking)}
              >
                Revoke
              </button>
              <button type="button" className="button secondary" onClick={() => setRevoking(undefined)}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  );
}

function CreateKeyForm({
  pending,
  onCreate,
}: {
  pending: boolean;
  onCreate: (input: { kind: Kind; name: string; expiresAt?: string }) => void;
}) {
  const [kind, setKind] = useState<Kind>('system');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const nameId = useId();
  const expiresId = useId();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onCreate({
          kind,
          name: name.trim(),
          // The end of the chosen day, in the administrator's time zone.
          ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
        });
      }}
    >
      <fieldset>
        <legend>Kind</legend>
        <Choice
          type="radio"
          name="kind"
          label="System key"
          hint="Scope scim: for your identity provider's SCIM connection."
          checked={kind === 'system'}
          onChange={() => setKind('system')}
        />
        <Choice
          type="radio"
          name="kind"
          label="Personal key"
          hint="Scope portal: the portal API, acting as you."
          checked={kind === 'personal'}
          onChange={() => setKind('personal')}
        />
      </fieldset>
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          type="text"
          required
          maxLength={200}
          value={name}
          placeholder="Entra ID provisioning"
          onChange={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <div className="field narrow">
        <label htmlFor={expiresId}>Expires (optional)</label>
        <input
          id={expiresId}
          type="date"
          value={expires}
          onChange={(event) => setExpires(event.currentTarget.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}

function KeyTable({
  label,
  keys,
  actions,
}: {
  label: string;
  keys: ApiKey[];
  actions?: (key: ApiKey) => ReactNode;
}) {
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind and scopes</th>
            <th scope="col" className="optional">
              Created
            </th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            {actions ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>
                {key.name}
                <div className="mono small muted">{key.maskedKey}</div>
              </td>
              <td>
                {key.kind === 'system' ? 'System' : 'Personal'}
                <div className="small muted">{key.scopes.join(', ')}</div>
              </td>
              <td className="optional">{formatTime(key.createdAt)}</td>
              <td>
                {key.expiresAt ? formatTime(key.expiresAt) : 'Never'}
                {key.expiresAt && Date.parse(key.expiresAt) <= now ? (
                  <span className="badge badge-danger">expired</span>
                ) : null}
              </td>
              <td>
                {key.revokedAt
                  ? `Revoked ${formatTime(key.revokedAt)}`
                  : key.lastUsedAt
                    ? formatTime(key.lastUsedAt)
                    : 'Never'}
              </td>
              {actions ? (
                <td>
                  <div className="actions">{actions(key)}</div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
