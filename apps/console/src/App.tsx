/**
 * The shell: a header with the organization and who is signed in, the navigation built from
 * routes.tsx, and the page of the URL. Not signed in (401): a way to sign in through the
 * organization's SSO, returning here.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ApiError } from './api/client';
import { ErrorMessage, Loading } from './components/feedback';
import { Link, pageUrl, useLocation } from './router';
import { type PageRoute, ROUTES } from './routes';
import { useMe, useOrganization } from './session';

export function App() {
  const { org, page } = useLocation();
  if (!org) return <NoOrganization />;
  return <Shell org={org} page={page} />;
}

function NoOrganization() {
  return (
    <main className="centered">
      <h1>Roster console</h1>
      <p>
        Open the console through your organization's sign-in: <code>/sso/&lt;organization&gt;/login</code>, or
        the one-time setup link your Roster operator sent you.
      </p>
    </main>
  );
}

function SignIn({ org, error }: { org: string; error: ApiError }) {
  const returnTo = window.location.pathname;
  return (
    <main className="centered">
      <h1>Sign in to {org}</h1>
      <p>{error.message}</p>
      <p>
        <a
          className="button"
          href={`/sso/${encodeURIComponent(org)}/login?returnTo=${encodeURIComponent(returnTo)}`}
        >
          Sign in with single sign-on
        </a>
      </p>
    </main>
  );
}

function Shell({ org, page }: { org: string; page: string }) {
  const me = useMe(org);
  const organization = useOrganization(org);
  const route = ROUTES.find((r) => r.path === page);
  const mainRef = useRef<HTMLHeadingElement>(null);
  const signOut = useMutation({
    mutationFn: () =>
      fetch(`/sso/${encodeURIComponent(org)}/logout`, { method: 'POST', credentials: 'same-origin' }),
    onSettled: () => window.location.assign(`/console/${encodeURIComponent(org)}/`),
  });
  const title = route?.label ?? 'Not found';
  useEffect(() => {
    document.title = `${title} · ${org} · Roster`;
  }, [title, org]);

  if (me.error instanceof ApiError && me.error.status === 401) return <SignIn org={org} error={me.error} />;
  if (me.error) {
    return (
      <main className="centered">
        <h1>Roster console</h1>
        <ErrorMessage error={me.error} />
      </main>
    );
  }
  if (!me.data) return <Loading label="Opening the console…" />;
  const manager = me.data.effectiveRole === 'manager';
  const visible = ROUTES.filter((r) => manager || r.access === 'member');

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Roster</span>
        <span className="org-name">
          <span className="sr-only">Organization: </span>
          {organization.data?.name ?? org}
          <span className="muted"> · {org}</span>
        </span>
        <span className="spacer" />
        <span className="who">
          {me.data.userName} <span className="badge">{me.data.effectiveRole}</span>
        </span>
        <button type="button" className="button secondary small" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </header>
      <Navigation org={org} current={page} routes={visible} />
      <main id="main" className="content" tabIndex={-1}>
        {route && (manager || route.access === 'member') ? (
          <route.component key={route.path} />
        ) : route ? (
          <>
            <h1 ref={mainRef}>{route.label}</h1>
            <div className="notice notice-error" role="alert">
              <p>Only managers of {org} can open this page. Ask a manager to change your role.</p>
            </div>
          </>
        ) : (
          <>
            <h1>Page not found</h1>
            <p>
              There is no console page at this address.{' '}
              <Link href={pageUrl(org, '')}>Go to the overview</Link>.
            </p>
          </>
        )}
      </main>
    </div>
  );
}

function Navigation({ org, current, routes }: { org: string; current: string; routes: PageRoute[] }) {
  const sections = new Map<string, PageRoute[]>();
  for (const route of routes) {
    const key = route.section ?? '';
    sections.set(key, [...(sections.get(key) ?? []), route]);
  }
  return (
    <nav className="sidenav" aria-label="Console">
      {[...sections].map(([section, entries]) => (
        <div key={section} className="nav-section">
          {section ? <p className="nav-heading">{section}</p> : null}
          <ul>
            {entries.map((route) => (
              <li key={route.path}>
                <Link
                  href={pageUrl(org, route.path)}
                  aria-current={route.path === current ? 'page' : undefined}
                >
                  {route.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
