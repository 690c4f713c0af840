/**
 * The OAuth client's live secrets (never their values): rotation with overlap is Add a client
 * secret (the new one shown once, the old one still working), then Revoke the old one once the
 * identity provider uses the new one.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { ErrorMessage, Loading } from '../../components/feedback';
import { formatTime } from '../../format';

export function OAuthClientSecrets({
  org,
  onNewSecret,
}: {
  org: string;
  onNewSecret: (secret: string) => void;
}) {
  const queryClient = useQueryClient();
  const key = ['oauth-client-secrets', org];
  const secrets = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/identity/provisioning/oauth-client-secrets', {
          params: { path: { org } },
        }),
      ),
  });
  const add = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/orgs/{org}/identity/provisioning/oauth-client-secrets', {
          params: { path: { org } },
          body: {},
        }),
      ),
    onSuccess: (created) => {
      onNewSecret(created.clientSecret);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (secretId: string) =>
      ok(
        api.DELETE('/api/v1/orgs/{org}/identity/provisioning/oauth-client-secrets/{secretId}', {
          params: { path: { org, secretId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const live = secrets.data?.secrets ?? [];
  return (
    <div className="field">
      <h3 id="client-secrets-heading">Client secrets</h3>
      <p className="hint">
        A ClientSecret is shown once, when it is made. To rotate without a gap, add a client secret, put it in
        the identity provider, then revoke the old one: until then both work.
      </p>
      {secrets.isPending ? <Loading /> : null}
      {secrets.error ? <ErrorMessage error={secrets.error} /> : null}
      {secrets.data ? (
        <div className="table-wrap">
          <table aria-labelledby="client-secrets-heading">
            <thead>
              <tr>
                <th scope="col">Secret</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {live.map((secret, index) => (
                <tr key={secret.id}>
                  <td className="mono">
                    {secret.id}
                    {secret.expired ? <span className="badge badge-warn">expired</span> : null}
                  </td>
                  <td>{formatTime(secret.createdAt)}</td>
                  <td>{secret.lastUsedAt ? formatTime(secret.lastUsedAt) : 'Never'}</td>
                  <td>
                    <button
                      type="button"
                      className="button danger small"
                      aria-label={`Revoke client secret ${index + 1} (${secret.id})`}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(secret.id)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {live.length === 0 ? <p className="empty">No live client secret: add one.</p> : null}
        </div>
      ) : null}
      {add.error ? <ErrorMessage error={add.error} /> : null}
      {revoke.error ? <ErrorMessage error={revoke.error} /> : null}
      <div className="actions">
        <button
          type="button"
          className="button secondary"
          disabled={add.isPending}
          onClick={() => add.mutate()}
        >
          Add a client secret
        </button>
      </div>
    </div>
  );
}
