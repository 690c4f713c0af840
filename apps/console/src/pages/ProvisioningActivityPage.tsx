/**
 * Provisioning activity: is provisioning working? The health of each credential, a chart of
 * requests and failures over time (with the same numbers as a table), the kinds of failure with
 * what to change, and the filterable log of the SCIM requests.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Ok, ok } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { useOrg } from '../session';
import { exportUrl, idpName, Pager, useCursorPages, when } from './common';
import './pages.css';

type Health = Ok<'getProvisioningHealth'>;
type Timeline = Ok<'getProvisioningTimeline'>;

const STATE_LABELS: Record<Health['state'], string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  idle: 'Idle',
  never_connected: 'Never connected',
};

export function ProvisioningActivityPage() {
  const org = useOrg();
  const health = useQuery({
    queryKey: ['provisioning-health', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/provisioning/health', { params: { path: { org } } })),
  });
  return (
    <>
      <h1>Provisioning activity</h1>
      {health.error ? (
        <ErrorMessage error={health.error} />
      ) : !health.data ? (
        <Loading label="Loading the provisioning health…" />
      ) : (
        <HealthSummary health={health.data} />
      )}
      <ActivityChart org={org} />
      {health.data ? <FailureKinds health={health.data} /> : null}
      <ActivityLog org={org} credentials={health.data?.credentials ?? []} />
    </>
  );
}

const credentialLabel = (c: Health['credentials'][number]) =>
  c.credential === null
    ? 'No credential accepted'
    : c.credential.type === 'api_key'
      ? `API key ${c.name ?? c.credential.id}`
      : `OAuth client ${c.credential.id}`;

function HealthSummary({ health }: { health: Health }) {
  return (
    <section className="card" aria-labelledby="health-heading">
      <h2 id="health-heading">
        Health: <span className={`badge state-${health.state}`}>{STATE_LABELS[health.state]}</span>
      </h2>
      <ul className="counts">
        <li>
          <strong>{health.lastHour.requests}</strong> requests in the last hour
        </li>
        <li>
          <strong>{health.lastHour.failures}</strong> failed
        </li>
        <li>
          <strong>{health.lastDay.requests}</strong> requests in the last day
        </li>
        <li>
          <strong>{health.lastDay.failures}</strong> failed
        </li>
      </ul>
      <p className="muted small">Last request: {when(health.lastRequestAt)}</p>
      {health.credentials.length === 0 ? (
        <Empty>No credential yet: create a system key or choose OAuth2 under Provisioning.</Empty>
      ) : (
        <div className="table-wrap table-scroll">
          <table aria-labelledby="health-heading">
            <thead>
              <tr>
                <th scope="col">Credential</th>
                <th scope="col">State</th>
                <th scope="col" className="optional">
                  Last request
                </th>
                <th scope="col">Last hour</th>
                <th scope="col" className="optional">
                  Last day
                </th>
              </tr>
            </thead>
            <tbody>
              {health.credentials.map((c) => (
                <tr key={c.credential ? `${c.credential.type}:${c.credential.id}` : 'none'}>
                  <td className="wrap-anywhere">{credentialLabel(c)}</td>
                  <td>
                    <span className={`badge state-${c.state}`}>{STATE_LABELS[c.state]}</span>
                  </td>
                  <td className="optional">{when(c.lastRequestAt)}</td>
                  <td>
                    {c.lastHour.requests} ({c.lastHour.failures} failed)
                  </td>
                  <td className="optional">
                    {c.lastDay.requests} ({c.lastDay.failures} failed)
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const RANGES = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last day' },
  { hours: 168, label: 'Last 7 days' },
];

function ActivityChart({ org }: { org: string }) {
  const id = useId();
  const [hours, setHours] = useState(24);
  const timeline = useQuery({
    queryKey: ['provisioning-timeline', org, hours],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/provisioning/health/timeline', {
          params: { path: { org }, query: { hours } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Requests and failures over time</h2>
      <div className="field">
        <label htmlFor={`${id}-range`}>Period</label>
        <select id={`${id}-range`} value={hours} onChange={(event) => setHours(Number(event.target.value))}>
          {RANGES.map((range) => (
            <option key={range.hours} value={range.hours}>
              {range.label}
            </option>
          ))}
        </select>
      </div>
      {timeline.error ? (
        <ErrorMessage error={timeline.error} />
      ) : !timeline.data ? (
        <Loading label="Loading the chart…" />
      ) : (
        <>
          <Chart timeline={timeline.data} hours={hours} />
          <details>
            <summary>Show the numbers as a table</summary>
            <div className="table-wrap table-scroll">
              <table>
                <caption className="visually-hidden">Requests and failures per interval</caption>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">Requests</th>
                    <th scope="col">Failures</th>
                  </tr>
                </thead>
                <tbody>
                  {timeline.data.buckets.map((bucket) => (
                    <tr key={bucket.start}>
                      <td>{when(bucket.start)}</td>
                      <td>{bucket.requests}</td>
                      <td>{bucket.failures}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

/** Bars of requests, failures drawn over them in red, on a fixed-size canvas that scales down. */
function Chart({ timeline, hours }: { timeline: Timeline; hours: number }) {
  const width = 720;
  const height = 180;
  const bottom = 20;
  const top = 10;
  const buckets = timeline.buckets;
  const max = Math.max(1, ...buckets.map((b) => b.requests));
  const step = width / Math.max(1, buckets.length);
  const scale = (value: number) => ((height - bottom - top) * value) / max;
  const requests = buckets.reduce((sum, b) => sum + b.requests, 0);
  const failures = buckets.reduce((sum, b) => sum + b.failures, 0);
  const summary = `${requests} requests and ${failures} failures over the ${
    RANGES.find((r) => r.hours === hours)?.label.toLowerCase() ?? `last ${hours} hours`
  }; the busiest interval had ${max === 1 && requests === 0 ? 0 : max} requests.`;
  return (
    <figure>
      <div className="legend-row" aria-hidden="true">
        <span>
          <span className="swatch" style={{ background: '#8fb3d9' }} />
          Requests
        </span>
        <span>
          <span className="swatch" style={{ background: '#a3262a' }} />
          Failures
        </span>
      </div>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        <line className="axis" x1={0} x2={width} y1={height - bottom} y2={height - bottom} />
        {buckets.map((b, i) => (
          <g key={b.start}>
            <rect
              className="requests"
              x={i * step + 1}
              width={Math.max(1, step - 2)}
              y={height - bottom - scale(b.requests)}
              height={scale(b.requests)}
            />
            <rect
              className="failures"
              x={i * step + 1}
              width={Math.max(1, step - 2)}
              y={height - bottom - scale(b.failures)}
              height={scale(b.failures)}
            />
          </g>
        ))}
        <text x={0} y={height - 4}>
          {when(buckets[0]?.start)}
        </text>
        <text x={width} y={height - 4} textAnchor="end">
          now
        </text>
        <text x={0} y={top}>
          {max}
        </text>
      </svg>
      <figcaption className="muted small">{summary}</figcaption>
    </figure>
  );
}

function FailureKinds({ health }: { health: Health }) {
  return (
    <section className="card" aria-labelledby="kinds-heading">
      <h2 id="kinds-heading">Failures of the last day</h2>
      {health.failureKinds.length === 0 ? (
        <Empty>No failures in the last day.</Empty>
      ) : (
        <ul className="steps">
          {health.failureKinds.map((kind) => (
            <li key={kind.exampleRequestId}>
              <p className="wrap-anywhere">
                <strong>
                  {kind.status}
                  {kind.scimType ? ` ${kind.scimType}` : ''}
                </strong>{' '}
                · {kind.count} times, last {when(kind.lastAt)}
              </p>
              <p className="wrap-anywhere muted">{kind.detail}</p>
              {kind.hint ? (
                <p className="notice notice-info wrap-anywhere">
                  <strong>How to fix it: </strong>
                  {kind.hint}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ActivityLog({ org, credentials }: { org: string; credentials: Health['credentials'] }) {
  const id = useId();
  const pages = useCursorPages();
  const [filters, setFilters] = useState({ outcome: '', resourceType: '', credential: '' });
  const log = useQuery({
    queryKey: ['provisioning-activity', org, filters, pages.cursor],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/provisioning/activity', {
          params: {
            path: { org },
            query: {
              limit: 25,
              ...(filters.outcome ? { outcome: filters.outcome as 'succeeded' | 'failed' } : {}),
              ...(filters.resourceType ? { resourceType: filters.resourceType } : {}),
              ...(filters.credential ? { credential: filters.credential } : {}),
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const set = (name: keyof typeof filters, value: string) => {
    pages.reset();
    setFilters((f) => ({ ...f, [name]: value }));
  };
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Requests</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select
            id={`${id}-outcome`}
            value={filters.outcome}
            onChange={(e) => set('outcome', e.target.value)}
          >
            <option value="">Any</option>
            <option value="succeeded">Succeeded</option>
            <option value="failed">Failed</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Resource</label>
          <select
            id={`${id}-type`}
            value={filters.resourceType}
            onChange={(e) => set('resourceType', e.target.value)}
          >
            <option value="">Any</option>
            <option value="Users">Users</option>
            <option value="Groups">Groups</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-credential`}>Credential</label>
          <select
            id={`${id}-credential`}
            value={filters.credential}
            onChange={(e) => set('credential', e.target.value)}
          >
            <option value="">Any</option>
            {credentials.flatMap((c) =>
              c.credential
                ? [
                    <option key={c.credential.id} value={`${c.credential.type}:${c.credential.id}`}>
                      {credentialLabel(c)}
                    </option>,
                  ]
                : [],
            )}
          </select>
        </div>
      </div>
      {log.error ? (
        <ErrorMessage error={log.error} />
      ) : !log.data ? (
        <Loading label="Loading requests…" />
      ) : log.data.activity.length === 0 ? (
        <Empty>No requests match. The identity provider's requests appear here within seconds.</Empty>
      ) : (
        <>
          <div className="table-wrap table-scroll">
            <table aria-labelledby={`${id}-heading`} aria-busy={log.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Request</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="optional">
                    From
                  </th>
                </tr>
              </thead>
              <tbody>
                {log.data.activity.map((entry) => (
                  <tr key={entry.id}>
                    <td>{when(entry.at)}</td>
                    <td className="wrap-anywhere">
                      <span className="mono">
                        {entry.method} {entry.resourceType ?? ''}
                      </span>
                      {entry.detail ? <span className="muted small cell-sub">{entry.detail}</span> : null}
                    </td>
                    <td>
                      <span className={entry.outcome === 'failed' ? 'badge badge-danger' : 'badge'}>
                        {entry.status} {entry.outcome}
                      </span>
                    </td>
                    <td className="optional wrap-anywhere">{idpName(entry.idp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Requests pages"
            page={pages.page}
            nextCursor={log.data.nextCursor}
            onNext={pages.next}
            onPrevious={pages.previous}
          />
        </>
      )}
      <p className="small">
        Export:{' '}
        <a href={exportUrl(org, 'provisioning/activity/export', { ...filters, format: 'csv' })} download>
          CSV
        </a>{' '}
        ·{' '}
        <a href={exportUrl(org, 'provisioning/activity/export', { ...filters, format: 'ndjson' })} download>
          NDJSON
        </a>
      </p>
    </section>
  );
}
