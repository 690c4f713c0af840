/**
 * Audit trail: every configuration and provisioning change, newest first, filtered by action,
 * actor, target and time, paged, and exported (CSV or NDJSON) with the same time and action filters.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, ok } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { useOrg } from '../session';
import { exportUrl, idpName, Pager, useCursorPages, when } from './common';
import './pages.css';

interface Filters {
  action: string;
  actor: string;
  targetType: string;
  from: string;
  to: string;
}

const NONE: Filters = { action: '', actor: '', targetType: '', from: '', to: '' };

/** A date input's day as the start of that day, local time, in ISO form; `to` is exclusive, so the day after. */
const dayStart = (day: string, after = false) => {
  if (!day) return '';
  const date = new Date(`${day}T00:00:00`);
  if (after) date.setDate(date.getDate() + 1);
  return date.toISOString();
};

export function AuditTrailPage() {
  const org = useOrg();
  const id = useId();
  const pages = useCursorPages();
  const [form, setForm] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const query = {
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.from ? { from: dayStart(filters.from) } : {}),
    ...(filters.to ? { to: dayStart(filters.to, true) } : {}),
  };
  const events = useQuery({
    queryKey: ['audit-events', org, query, pages.cursor],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/audit-events', {
          params: {
            path: { org },
            query: { limit: 25, ...query, ...(pages.cursor ? { cursor: pages.cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setFilters({ ...form, action: form.action.trim(), actor: form.actor.trim() });
  };
  const field = (name: keyof Filters) => ({
    id: `${id}-${name}`,
    value: form[name],
    onChange: (event: { target: { value: string } }) =>
      setForm((f) => ({ ...f, [name]: event.target.value })),
  });
  const exportQuery = {
    action: query.action ?? '',
    from: query.from ?? '',
    to: query.to ?? '',
  };

  return (
    <>
      <h1>Audit trail</h1>
      <section className="card" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>Changes, newest first</h2>
        <form className="filters" onSubmit={apply} aria-label="Filter the audit trail">
          <div className="field">
            <label htmlFor={`${id}-action`}>Action</label>
            <input {...field('action')} placeholder="e.g. scim.member.created" list={`${id}-actions`} />
            <datalist id={`${id}-actions`}>
              {[
                'scim.member.created',
                'scim.member.adopted',
                'scim.member.updated',
                'scim.group.created',
                'member.created',
                'member.updated',
                'api_key.created',
                'identity.provisioning.updated',
              ].map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={`${id}-actor`}>Actor id</label>
            <input {...field('actor')} placeholder="Member, key or OAuth client id" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-targetType`}>Target</label>
            <select {...field('targetType')}>
              <option value="">Any</option>
              <option value="member">Member</option>
              <option value="group">Group</option>
              <option value="api_key">API key</option>
              <option value="organization">Organization</option>
              <option value="identity_config">Identity configuration</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input type="date" {...field('from')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input type="date" {...field('to')} />
          </div>
          <div className="field">
            <button type="submit" className="button secondary">
              Apply filters
            </button>
          </div>
        </form>
        {events.error ? (
          <ErrorMessage error={events.error} />
        ) : !events.data ? (
          <Loading label="Loading the audit trail…" />
        ) : events.data.events.length === 0 ? (
          <Empty>No change matches these filters.</Empty>
        ) : (
          <>
            <div className="table-wrap table-scroll">
              <table aria-labelledby={`${id}-heading`} aria-busy={events.isFetching}>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Action</th>
                    <th scope="col" className="optional">
                      Actor
                    </th>
                    <th scope="col" className="optional">
                      Changes
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.events.map((event) => (
                    <tr key={event.id}>
                      <td>{when(event.occurredAt)}</td>
                      <td className="wrap-anywhere">
                        <span className="mono">{event.action}</span>
                        {event.target ? (
                          <span className="muted small cell-sub">
                            {event.target.type} {event.target.id}
                          </span>
                        ) : null}
                      </td>
                      <td className="optional wrap-anywhere">
                        {event.actor.type.replace('_', ' ')}{' '}
                        <span className="mono small">{event.actor.id ?? ''}</span>
                        {event.idp ? (
                          <span className="muted small cell-sub">via {idpName(event.idp)}</span>
                        ) : null}
                      </td>
                      <td className="optional wrap-anywhere small">
                        {event.changes ? <code>{summarize(event.changes)}</code> : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Audit trail pages"
              page={pages.page}
              nextCursor={events.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
        <p className="small">
          Export (time and action filters):{' '}
          <a href={exportUrl(org, 'audit-events/export', { ...exportQuery, format: 'csv' })} download>
            CSV
          </a>{' '}
          ·{' '}
          <a href={exportUrl(org, 'audit-events/export', { ...exportQuery, format: 'ndjson' })} download>
            NDJSON
          </a>
        </p>
      </section>
    </>
  );
}

/** Changes as short text: `role: basic → manager`, else the JSON, cut to a line. */
function summarize(changes: Record<string, unknown>): string {
  const parts = Object.entries(changes).map(([key, value]) => {
    if (value && typeof value === 'object' && 'from' in value && 'to' in value) {
      const { from, to } = value as { from: unknown; to: unknown };
      return `${key}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`;
    }
    return `${key}: ${JSON.stringify(value)}`;
  });
  const text = parts.join('; ');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
