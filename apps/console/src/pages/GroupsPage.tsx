/**
 * Groups (RBAC): search and page through groups on the server, create one, give it the manager
 * role, delete it, and see and change its members. Groups the identity provider owns (SCIM with
 * group sync) are read-only here, naming the provider. Without RBAC the API's refusal says why.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, type Ok, ok } from '../api/client';
import { Dialog } from '../components/Dialog';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { useOrg } from '../session';
import { idpName, ManagedBy, Pager, useCursorPages } from './common';
import './pages.css';

type Group = Ok<'listGroups'>['items'][number];
const PAGE_SIZE = 25;

export function GroupsPage() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const pages = useCursorPages();
  const [selected, setSelected] = useState<Group>();
  const [deleting, setDeleting] = useState<Group>();
  const [actionError, setActionError] = useState<unknown>();

  const groups = useQuery({
    queryKey: ['groups', org, q, pages.cursor],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/groups', {
          params: {
            path: { org },
            query: {
              limit: PAGE_SIZE,
              ...(q ? { q } : {}),
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['groups', org] });
  const update = useMutation({
    mutationFn: ({ group, role }: { group: Group; role: 'manager' | null }) =>
      ok(
        api.PATCH('/api/v1/orgs/{org}/groups/{id}', {
          params: { path: { org, id: group.id } },
          body: { role },
        }),
      ),
    onSuccess: () => {
      setActionError(undefined);
      return refresh();
    },
    onError: setActionError,
  });
  const remove = useMutation({
    mutationFn: (group: Group) =>
      ok(api.DELETE('/api/v1/orgs/{org}/groups/{id}', { params: { path: { org, id: group.id } } })),
    onSuccess: () => {
      setDeleting(undefined);
      setSelected(undefined);
      setActionError(undefined);
      return refresh();
    },
    onError: (error) => {
      setDeleting(undefined);
      setActionError(error);
    },
  });

  const search = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setQ(typed.trim());
  };

  return (
    <>
      <h1>Groups</h1>
      <p className="hint">
        A group with the manager role makes its members managers while RBAC is on. With Sync SCIM groups, the
        identity provider's groups of the same name take these over.
      </p>
      <CreateGroup org={org} onCreated={refresh} />
      <section className="card" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>Groups</h2>
        <form className="filters" onSubmit={search}>
          <div className="field">
            <label htmlFor={`${id}-q`}>Search groups</label>
            <div className="copy-row">
              <input
                id={`${id}-q`}
                type="search"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
              <button type="submit" className="button secondary">
                Search
              </button>
            </div>
          </div>
        </form>
        {actionError ? <ErrorMessage error={actionError} /> : null}
        {groups.error ? (
          <ErrorMessage error={groups.error} />
        ) : !groups.data ? (
          <Loading label="Loading groups…" />
        ) : groups.data.items.length === 0 ? (
          <Empty>{q ? `No group matches “${q}”.` : 'No groups yet.'}</Empty>
        ) : (
          <>
            <div className="table-wrap table-scroll">
              <table aria-labelledby={`${id}-heading`} aria-busy={groups.isFetching}>
                <thead>
                  <tr>
                    <th scope="col">Group</th>
                    <th scope="col">Role</th>
                    <th scope="col" className="optional">
                      Managed by
                    </th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.data.items.map((group) => (
                    <tr key={group.id}>
                      <td className="wrap-anywhere">{group.displayName}</td>
                      <td>{group.role === 'manager' ? <span className="badge">manager</span> : '—'}</td>
                      <td className="optional">
                        <ManagedBy managedBy={group.managedBy} provisionedBy={group.provisionedBy} />
                      </td>
                      <td>
                        <div className="actions row-actions">
                          <button
                            type="button"
                            className="button secondary small"
                            aria-label={`Members of ${group.displayName}`}
                            aria-pressed={selected?.id === group.id}
                            onClick={() => setSelected(selected?.id === group.id ? undefined : group)}
                          >
                            Members
                          </button>
                          {group.readOnly ? (
                            <span
                              className="badge badge-warn"
                              title={`Managed by ${idpName(group.provisionedBy?.idp)}`}
                            >
                              Read-only
                            </span>
                          ) : (
                            <>
                              <button
                                type="button"
                                className="button secondary small"
                                disabled={update.isPending}
                                aria-label={`${group.role === 'manager' ? 'Make basic' : 'Make manager'}: ${group.displayName}`}
                                onClick={() =>
                                  update.mutate({ group, role: group.role === 'manager' ? null : 'manager' })
                                }
                              >
                                {group.role === 'manager' ? 'Make basic' : 'Make manager'}
                              </button>
                              <button
                                type="button"
                                className="button danger small"
                                aria-label={`Delete ${group.displayName}`}
                                onClick={() => setDeleting(group)}
                              >
                                Delete
                              </button>
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Groups pages"
              page={pages.page}
              nextCursor={groups.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
      </section>
      {selected ? <GroupMembers org={org} group={selected} /> : null}
      <Dialog title="Delete group" open={deleting !== undefined} onClose={() => setDeleting(undefined)}>
        <p>
          Delete <strong>{deleting?.displayName}</strong>? Its members stay in the organization
          {deleting?.role === 'manager' ? ' and lose the manager role it gave them' : ''}.
        </p>
        <div className="actions">
          <button
            type="button"
            className="button danger"
            disabled={remove.isPending}
            onClick={() => deleting && remove.mutate(deleting)}
          >
            Delete
          </button>
          <button type="button" className="button secondary" onClick={() => setDeleting(undefined)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </>
  );
}

function CreateGroup({ org, onCreated }: { org: string; onCreated: () => void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [manager, setManager] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/orgs/{org}/groups', {
          params: { path: { org } },
          body: { displayName: name.trim(), role: manager ? 'manager' : null },
        }),
      ),
    onSuccess: () => {
      setName('');
      setManager(false);
      onCreated();
    },
  });
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Create a group</h2>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>Group name</label>
          <input id={`${id}-name`} required value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field choice">
          <input
            id={`${id}-manager`}
            type="checkbox"
            checked={manager}
            onChange={(event) => setManager(event.target.checked)}
          />
          <label htmlFor={`${id}-manager`}>Manager role for its members</label>
        </div>
        <div className="field">
          <button type="submit" className="button" disabled={create.isPending}>
            Create group
          </button>
        </div>
      </form>
      {create.error ? <ErrorMessage error={create.error} /> : null}
    </section>
  );
}

function GroupMembers({ org, group }: { org: string; group: Group }) {
  const id = useId();
  const queryClient = useQueryClient();
  const pages = useCursorPages();
  const [find, setFind] = useState('');
  const [q, setQ] = useState('');
  const key = ['group-members', org, group.id];
  const members = useQuery({
    queryKey: [...key, pages.cursor],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/groups/{id}/members', {
          params: {
            path: { org, id: group.id },
            query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const candidates = useQuery({
    queryKey: ['members', org, { q, status: '', managedBy: '' }, 'candidates'],
    enabled: q !== '',
    queryFn: () =>
      ok(api.GET('/api/v1/orgs/{org}/members', { params: { path: { org }, query: { q, limit: 10 } } })),
  });
  const changed = () => {
    queryClient.invalidateQueries({ queryKey: key });
    queryClient.invalidateQueries({ queryKey: ['members', org] });
  };
  const add = useMutation({
    mutationFn: (memberId: string) =>
      ok(
        api.POST('/api/v1/orgs/{org}/groups/{id}/members', {
          params: { path: { org, id: group.id } },
          body: { memberIds: [memberId] },
        }),
      ),
    onSuccess: changed,
  });
  const remove = useMutation({
    mutationFn: (memberId: string) =>
      ok(
        api.DELETE('/api/v1/orgs/{org}/groups/{id}/members/{memberId}', {
          params: { path: { org, id: group.id, memberId } },
        }),
      ),
    onSuccess: changed,
  });
  const error = add.error ?? remove.error;
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Members of {group.displayName}</h2>
      {group.readOnly ? (
        <p className="notice notice-info">
          {idpName(group.provisionedBy?.idp)} manages this group's members: change them there.
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {members.error ? (
        <ErrorMessage error={members.error} />
      ) : !members.data ? (
        <Loading label="Loading the group's members…" />
      ) : members.data.items.length === 0 ? (
        <Empty>No members in this group.</Empty>
      ) : (
        <>
          <ul className="steps">
            {members.data.items.map((member) => (
              <li key={member.id}>
                <span className="wrap-anywhere">{member.displayName ?? member.userName}</span>{' '}
                <span className="muted small">{member.userName}</span>{' '}
                {group.readOnly ? null : (
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`Remove ${member.userName} from ${group.displayName}`}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(member.id)}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
          <Pager
            label="Group members pages"
            page={pages.page}
            nextCursor={members.data.nextCursor}
            onNext={pages.next}
            onPrevious={pages.previous}
          />
        </>
      )}
      {group.readOnly ? null : (
        <>
          <form
            className="filters"
            onSubmit={(event) => {
              event.preventDefault();
              setQ(find.trim());
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-find`}>Find a member to add</label>
              <div className="copy-row">
                <input
                  id={`${id}-find`}
                  type="search"
                  value={find}
                  onChange={(event) => setFind(event.target.value)}
                />
                <button type="submit" className="button secondary">
                  Find
                </button>
              </div>
            </div>
          </form>
          {candidates.error ? <ErrorMessage error={candidates.error} /> : null}
          {candidates.data ? (
            candidates.data.items.length === 0 ? (
              <Empty>No member matches “{q}”.</Empty>
            ) : (
              <ul className="steps">
                {candidates.data.items.map((member) => (
                  <li key={member.id}>
                    <span className="wrap-anywhere">{member.userName}</span>{' '}
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`Add ${member.userName} to ${group.displayName}`}
                      disabled={add.isPending}
                      onClick={() => add.mutate(member.id)}
                    >
                      Add
                    </button>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </>
      )}
    </section>
  );
}
