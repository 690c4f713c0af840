/**
 * What the Members, Groups, Provisioning activity and Audit trail pages share: naming the identity
 * provider behind a SCIM-managed row, cursor paging, and dates as an administrator reads them.
 */
import { useState } from 'react';

/** The identity provider as the set-up guides name it ("entra" and "ping" are what Roster records). */
export function idpName(idp: string | null | undefined): string {
  if (idp === 'entra') return 'Microsoft Entra ID';
  if (idp === 'ping') return 'Ping Identity';
  return idp || 'the identity provider';
}

interface ProvisionedBy {
  idp: string | null;
  credential: { type: 'api_key' | 'oauth_client'; id: string; name: string | null } | null;
}

/** "SCIM · Microsoft Entra ID (key Entra provisioning)", or "Portal". */
export function ManagedBy({
  managedBy,
  provisionedBy,
}: {
  managedBy: 'portal' | 'scim';
  provisionedBy: ProvisionedBy | null;
}) {
  if (managedBy === 'portal') return <>Portal</>;
  const credential = provisionedBy?.credential;
  return (
    <>
      SCIM · {idpName(provisionedBy?.idp)}
      {credential ? (
        <span className="muted small">
          {' '}
          ({credential.type === 'api_key' ? `key ${credential.name ?? credential.id}` : 'OAuth client'})
        </span>
      ) : null}
    </>
  );
}

/**
 * Cursor paging: the cursors of the pages seen so far, so that Previous goes back without the
 * API paging backwards. `reset` when the filters change.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: string) => setCursors((list) => [...list, cursor]),
    previous: () => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list)),
    reset: () => setCursors([undefined]),
  };
}

export function Pager({
  label,
  page,
  nextCursor,
  onNext,
  onPrevious,
}: {
  label: string;
  page: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
  if (page === 1 && !nextCursor) return null;
  return (
    <nav className="actions pager" aria-label={label}>
      <button type="button" className="button secondary small" disabled={page === 1} onClick={onPrevious}>
        Previous page
      </button>
      <span className="muted small" aria-live="polite">
        Page {page}
      </span>
      <button
        type="button"
        className="button secondary small"
        disabled={!nextCursor}
        onClick={() => nextCursor && onNext(nextCursor)}
      >
        Next page
      </button>
    </nav>
  );
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const when = (iso: string | null | undefined) => (iso ? DATE_TIME.format(new Date(iso)) : '—');

/** An export URL of the portal API with the non-empty filters (the session cookie goes with it). */
export function exportUrl(org: string, path: string, query: Record<string, string>) {
  const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== ''));
  return `/api/v1/orgs/${encodeURIComponent(org)}/${path}?${params}`;
}
