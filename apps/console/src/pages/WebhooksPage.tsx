/**
 * Webhooks: the endpoints the product's own services receive provisioning events at (signed per
 * Standard Webhooks), and per endpoint its deliveries with every attempt. Create (the signing
 * secret shown once, with Copy), rotate the secret, enable or disable, delete; redeliver one event
 * or replay from a sequence number. docs/webhooks.md explains verifying the signature.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Ok, ok } from '../api/client';
import type { operations } from '../api/schema';
import { Choice } from '../components/Choice';
import { CopyField } from '../components/CopyField';
import { Dialog } from '../components/Dialog';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { useOrg } from '../session';
import { Pager, useCursorPages, when } from './common';
import './pages.css';

type Endpoint = Ok<'listWebhooks'>['webhooks'][number];
type Delivery = Ok<'listWebhookDeliveries'>['deliveries'][number];
type EventType = NonNullable<
  NonNullable<operations['createWebhook']['requestBody']>['content']['application/json']['eventTypes']
>[number];

/** The API's event types (its OpenAPI enum; the compiler checks this list against it). */
const EVENT_TYPES: EventType[] = [
  'member.created',
  'member.updated',
  'member.deactivated',
  'member.reactivated',
  'member.deleted',
  'member.role_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'identity.sso_updated',
  'identity.provisioning_updated',
];

export function WebhooksPage() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const endpoints = useQuery({
    queryKey: ['webhooks', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/webhooks', { params: { path: { org } } })),
  });
  // The secret just made or rotated: in this page's memory only, gone when the page is left.
  const [secret, setSecret] = useState<{ value: string; url: string } | undefined>();
  const [deleting, setDeleting] = useState<Endpoint | undefined>();
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks', org] });

  const create = useMutation({
    mutationFn: (body: { url: string; description: string; eventTypes: EventType[] }) =>
      ok(api.POST('/api/v1/orgs/{org}/webhooks', { params: { path: { org } }, body })),
    onSuccess: (endpoint) => {
      setSecret({ value: endpoint.secret, url: endpoint.url });
      setSelectedId(endpoint.id);
      void refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (endpoint: Endpoint) =>
      ok(
        api.POST('/api/v1/orgs/{org}/webhooks/{webhookId}/rotate-secret', {
          params: { path: { org, webhookId: endpoint.id } },
        }),
      ).then((result) => ({ value: result.secret, url: endpoint.url })),
    onSuccess: (result) => setSecret(result),
  });
  const toggle = useMutation({
    mutationFn: (endpoint: Endpoint) =>
      ok(
        api.PATCH('/api/v1/orgs/{org}/webhooks/{webhookId}', {
          params: { path: { org, webhookId: endpoint.id } },
          body: { enabled: !endpoint.enabled },
        }),
      ),
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({
    mutationFn: (endpoint: Endpoint) =>
      ok(
        api.DELETE('/api/v1/orgs/{org}/webhooks/{webhookId}', {
          params: { path: { org, webhookId: endpoint.id } },
        }),
      ),
    onSuccess: (_, endpoint) => {
      setDeleting(undefined);
      if (selectedId === endpoint.id) setSelectedId(undefined);
      void refresh();
    },
  });

  const list = endpoints.data?.webhooks ?? [];
  const selected = list.find((endpoint) => endpoint.id === selectedId);
  return (
    <>
      <h1>Webhooks</h1>
      <p className="lead muted">
        Roster POSTs an event to each endpoint for every change to members, groups, memberships and the
        identity configuration, signed per Standard Webhooks with the endpoint's signing secret. Failed
        deliveries are retried for about a day.
      </p>

      {secret ? (
        <div className="notice notice-warn">
          <p>
            <strong>Copy it now: it is shown only this once.</strong> Your service verifies each request with
            it.
          </p>
          <CopyField
            label="Signing secret"
            value={secret.value}
            secret
            description={`The endpoint ${secret.url}.`}
          />
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => setSecret(undefined)}>
              Done
            </button>
          </div>
        </div>
      ) : null}

      <section className="card" aria-labelledby="create-heading">
        <h2 id="create-heading">Add an endpoint</h2>
        <CreateEndpointForm pending={create.isPending} onCreate={(body) => create.mutate(body)} />
        {create.error ? <ErrorMessage error={create.error} /> : null}
      </section>

      <section className="card" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints</h2>
        {endpoints.isPending ? <Loading /> : null}
        {endpoints.error ? <ErrorMessage error={endpoints.error} /> : null}
        {rotate.error ? <ErrorMessage error={rotate.error} /> : null}
        {toggle.error ? <ErrorMessage error={toggle.error} /> : null}
        {endpoints.data && list.length === 0 ? <Empty>No endpoints yet.</Empty> : null}
        {list.length > 0 ? (
          <div className="table-wrap">
            <table aria-label="Endpoints">
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Event types</th>
                  <th scope="col">State</th>
                  <th scope="col" className="optional">
                    Created
                  </th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td>
                      <div className="mono wrap-anywhere">{endpoint.url}</div>
                      {endpoint.description ? (
                        <div className="small muted">{endpoint.description}</div>
                      ) : null}
                    </td>
                    <td className="small">
                      {endpoint.eventTypes.length === 0 ? 'All' : endpoint.eventTypes.join(', ')}
                    </td>
                    <td>
                      {endpoint.enabled ? 'Enabled' : <span className="badge badge-warn">Disabled</span>}
                      {!endpoint.enabled && endpoint.disabledReason ? (
                        <div className="small muted">{endpoint.disabledReason}</div>
                      ) : null}
                      {endpoint.failingSince ? (
                        <div className="small muted">Failing since {when(endpoint.failingSince)}</div>
                      ) : null}
                    </td>
                    <td className="optional">{when(endpoint.createdAt)}</td>
                    <td>
                      <div className="actions">
                        <button
                          type="button"
                          className="button secondary small"
                          aria-label={`Deliveries of ${endpoint.url}`}
                          aria-pressed={selectedId === endpoint.id}
                          onClick={() => setSelectedId(endpoint.id)}
                        >
                          Deliveries
                        </button>
                        <button
                          type="button"
                          className="button secondary small"
                          aria-label={`${endpoint.enabled ? 'Disable' : 'Enable'} ${endpoint.url}`}
                          disabled={toggle.isPending}
                          onClick={() => toggle.mutate(endpoint)}
                        >
                          {endpoint.enabled ? 'Disable' : 'Enable'}
                        </button>
                        <button
                          type="button"
                          className="button secondary small"
                          aria-label={`Rotate secret of ${endpoint.url}`}
                          disabled={rotate.isPending}
                          onClick={() => rotate.mutate(endpoint)}
                        >
                          Rotate secret
                        </button>
                        <button
                          type="button"
                          className="button danger small"
                          aria-label={`Delete ${endpoint.url}`}
                          onClick={() => setDeleting(endpoint)}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {selected ? <Deliveries key={selected.id} org={org} endpoint={selected} /> : null}

      <Dialog
        title="Delete this endpoint?"
        open={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
      >
        {deleting ? (
          <>
            <p>
              Nothing more is sent to {deleting.url}, and its deliveries are deleted with it. Events stay in
              the feed.
            </p>
            {remove.error ? <ErrorMessage error={remove.error} /> : null}
            <div className="actions">
              <button
                type="button"
                className="button danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate(deleting)}
              >
                Delete
              </button>
              <button type="button" className="button secondary" onClick={() => setDeleting(undefined)}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  );
}

function CreateEndpointForm({
  pending,
  onCreate,
}: {
  pending: boolean;
  onCreate: (body: { url: string; description: string; eventTypes: EventType[] }) => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<EventType[]>([]);
  const urlId = useId();
  const descriptionId = useId();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onCreate({ url: url.trim(), description: description.trim(), eventTypes: types });
      }}
    >
      <div className="field">
        <label htmlFor={urlId}>URL</label>
        <input
          id={urlId}
          type="url"
          required
          value={url}
          placeholder="https://hooks.example.com/roster"
          onChange={(event) => setUrl(event.currentTarget.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={descriptionId}>Description (optional)</label>
        <input
          id={descriptionId}
          type="text"
          maxLength={500}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
      </div>
      <fieldset>
        <legend>Event types (none checked: every type)</legend>
        <div className="inline-choices">
          {EVENT_TYPES.map((type) => (
            <Choice
              key={type}
              type="checkbox"
              name="eventTypes"
              label={type}
              checked={types.includes(type)}
              onChange={() =>
                setTypes((list) => (list.includes(type) ? list.filter((t) => t !== type) : [...list, type]))
              }
            />
          ))}
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Adding…' : 'Add endpoint'}
        </button>
      </div>
    </form>
  );
}

const STATE_LABELS: Record<Delivery['state'], string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
};

function Deliveries({ org, endpoint }: { org: string; endpoint: Endpoint }) {
  const queryClient = useQueryClient();
  const pages = useCursorPages();
  const queryKey = ['webhook-deliveries', org, endpoint.id, pages.cursor];
  const deliveries = useQuery({
    queryKey,
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/webhooks/{webhookId}/deliveries', {
          params: {
            path: { org, webhookId: endpoint.id },
            query: pages.cursor ? { cursor: pages.cursor } : {},
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', org, endpoint.id] });
  const [scheduled, setScheduled] = useState<string | undefined>();
  const redeliver = useMutation({
    mutationFn: (sequence: number) =>
      ok(
        api.POST('/api/v1/orgs/{org}/webhooks/{webhookId}/redeliver', {
          params: { path: { org, webhookId: endpoint.id } },
          body: { sequence },
        }),
      ).then(() => sequence),
    onSuccess: (sequence) => {
      setScheduled(`Event ${sequence} is scheduled again.`);
      void refresh();
    },
  });
  const replay = useMutation({
    mutationFn: (fromSequence: number) =>
      ok(
        api.POST('/api/v1/orgs/{org}/webhooks/{webhookId}/replay', {
          params: { path: { org, webhookId: endpoint.id } },
          body: { fromSequence },
        }),
      ).then((scheduled) => scheduled.fromSequence),
    onSuccess: (fromSequence) => {
      setScheduled(`The events from ${fromSequence} on are scheduled again.`);
      void refresh();
    },
  });
  const [from, setFrom] = useState('');
  const fromId = useId();
  const rows = deliveries.data?.deliveries ?? [];
  return (
    <section className="card" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">
        Deliveries to <span className="mono wrap-anywhere">{endpoint.url}</span>
      </h2>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          replay.mutate(Number(from));
        }}
      >
        <div className="field narrow">
          <label htmlFor={fromId}>Replay from sequence</label>
          <input
            id={fromId}
            type="number"
            min={1}
            step={1}
            required
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button secondary" disabled={replay.isPending}>
            Replay
          </button>
          <button type="button" className="button secondary" onClick={() => void refresh()}>
            Refresh
          </button>
        </div>
      </form>
      {scheduled ? (
        <p className="notice notice-ok" role="status">
          {scheduled}
        </p>
      ) : null}
      {replay.error ? <ErrorMessage error={replay.error} /> : null}
      {redeliver.error ? <ErrorMessage error={redeliver.error} /> : null}
      {deliveries.isPending ? <Loading label="Loading the deliveries…" /> : null}
      {deliveries.error ? <ErrorMessage error={deliveries.error} /> : null}
      {deliveries.data && rows.length === 0 ? <Empty>No deliveries yet.</Empty> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Sequence</th>
                <th scope="col">Event type</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="mono">{delivery.sequence}</td>
                  <td className="mono">{delivery.eventType}</td>
                  <td>
                    {delivery.state === 'failed' ? (
                      <span className="badge badge-danger">{STATE_LABELS.failed}</span>
                    ) : (
                      STATE_LABELS[delivery.state]
                    )}
                    {delivery.state === 'pending' && delivery.nextAttemptAt ? (
                      <div className="small muted">Next try {when(delivery.nextAttemptAt)}</div>
                    ) : null}
                    {delivery.deliveredAt ? (
                      <div className="small muted">{when(delivery.deliveredAt)}</div>
                    ) : null}
                  </td>
                  <td>
                    {delivery.attempts.length === 0 ? (
                      <span className="muted">None yet</span>
                    ) : (
                      <ol className="small">
                        {delivery.attempts.map((attempt) => (
                          <li key={attempt.attempt}>
                            {when(attempt.attemptedAt)}: {attempt.statusCode ?? 'no response'},{' '}
                            {attempt.durationMs} ms
                            {attempt.error ? <span className="wrap-anywhere"> · {attempt.error}</span> : null}
                          </li>
                        ))}
                      </ol>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`Redeliver event ${delivery.sequence}`}
                      disabled={redeliver.isPending}
                      onClick={() => redeliver.mutate(delivery.sequence)}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager
        label="Deliveries pages"
        page={pages.page}
        nextCursor={deliveries.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
      />
    </section>
  );
}
