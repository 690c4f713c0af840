/**
 * Identity Configuration → SSO → Test sign-in: the saved settings tried against the identity
 * provider, SSO on or off, in a new window; the result (who the provider said you are and which
 * member that names, or why it failed) shows here when the provider answers. Nobody is signed in.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { ErrorMessage } from '../components/feedback';

const POLL_MS = 1000;

export function SsoTestSignIn({ org, dirty }: { org: string; dirty: boolean }) {
  const start = useMutation({
    // The window opens on the click itself (a popup blocker allows that), then goes to the provider.
    mutationFn: async (popup: Window | null) => {
      try {
        const started = await ok(
          api.POST('/api/v1/orgs/{org}/identity/sso/tests', { params: { path: { org } } }),
        );
        if (popup) popup.location.href = started.url;
        return { ...started, opened: popup !== null };
      } catch (error) {
        popup?.close();
        throw error;
      }
    },
  });
  const testId = start.data?.testId;
  const test = useQuery({
    queryKey: ['sso-test', org, testId],
    enabled: testId !== undefined,
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/identity/sso/tests/{testId}', {
          params: { path: { org, testId: testId as string } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? POLL_MS : false),
  });
  const result = test.data;
  return (
    <section className="card" aria-labelledby="sso-test-heading">
      <h2 id="sso-test-heading">Test sign-in</h2>
      <p className="muted">
        Signs you in at the identity provider with the saved settings, even while SSO is off, and reports who
        it says you are. Nobody is signed in to Roster.
        {dirty ? ' Save your changes first: the test uses the saved settings.' : ''}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button secondary"
          disabled={start.isPending || result?.status === 'pending'}
          onClick={() => {
            const popup = window.open('about:blank', '_blank');
            start.mutate(popup);
          }}
        >
          Test sign-in
        </button>
      </div>
      {start.error ? <ErrorMessage error={start.error} /> : null}
      {start.data && !start.data.opened ? (
        <p>
          Your browser blocked the new window:{' '}
          <a href={start.data.url} target="_blank" rel="noreferrer">
            open the identity provider
          </a>
          .
        </p>
      ) : null}
      {test.error ? <ErrorMessage error={test.error} /> : null}
      <div role="status" aria-live="polite">
        {result?.status === 'pending' ? (
          <p className="notice notice-info">
            Waiting for the identity provider… finish signing in in the new window.
          </p>
        ) : null}
        {result?.status === 'expired' ? (
          <p className="notice notice-warn">
            The test expired before the identity provider answered: start it again.
          </p>
        ) : null}
        {result?.status === 'failed' && result.error ? (
          <div className="notice notice-error">
            <p>
              <strong>Test sign-in failed:</strong> {result.error.message}
            </p>
            <p className="muted small">{result.error.code}</p>
          </div>
        ) : null}
        {result?.status === 'succeeded' && result.identity ? (
          <div className="notice notice-ok test-result">
            <p>
              <strong>Test sign-in succeeded.</strong>{' '}
              {result.identity.signsInAs
                ? `With SSO on, this account signs in as ${result.identity.signsInAs}.`
                : result.identity.refusal}
            </p>
            <dl className="facts">
              <dt>Subject</dt>
              <dd>{result.identity.subject}</dd>
              <dt>User name ({result.identity.userNameSource})</dt>
              <dd>{result.identity.userName ?? 'none sent'}</dd>
              <dt>Email</dt>
              <dd>{result.identity.email ?? 'none sent'}</dd>
              <dt>Issuer</dt>
              <dd>{result.identity.issuer}</dd>
            </dl>
          </div>
        ) : null}
      </div>
    </section>
  );
}
