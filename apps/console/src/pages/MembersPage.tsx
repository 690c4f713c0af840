/**
 * Members: search and page through the organization's members on the server, invite, change a
 * role, deactivate, reactivate and remove. Members the identity provider owns (SCIM) are shown
 * read-only, naming the provider and its credential: the change belongs there.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, type Ok, ok } from '../api/client';
import { Dialog } from '../components/Dialog';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import { useOrg } from '../session';
import { idpName, ManagedBy, Pager, useCursorPages } from './common';
import './pages.css';

type Member = Ok<'listMembers'>['items'][number];
type Role = 'basic' | 'manager';
const PAGE_SIZE = 25;

export function MembersPage() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [filters, setFilters] = useState<{ q: string; status: string; managedBy: string }>({
    q: '',
    status: '',
    managedBy: '',
  });
  const pages = useCursorPages();
  const [actionError, setActionError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [removing, setRemoving] = useState<Member>();
  const searchId = useId();

  const members = useQuery({
    queryKey: ['members', org, filters, pages.cursor],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/members', {
          params: {
            path: { org },
            query: {
              limit: PAGE_SIZE,
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.status ? { status: filters.status as 'active' | 'deactivated' } : {}),
              ...(filters.managedBy ? { managedBy: filters.managedBy as 'portal' | 'scim' } : {}),
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const done = (message: string) => {
    setActionError(undefined);
    setNotice(message);
    return queryClient.invalidateQueries({ queryKey: ['members', org] });
  };
  const fail = (error: unknown) => {
    setNotice(undefined);
    setActionError(error);
  };
  const update = useMutation({
    mutationFn: ({
      member,
      change,
    }: {
      member: Member;
      change: { role?: Role; status?: 'active' | 'deactivated' };
    }) =>
      ok(
        api.PATCH('/api/v1/orgs/{org}/members/{id}', {
          params: { path: { org, id: member.id } },
          body: change,
        }),
      ),
    onSuccess: (member) =>
      done(`${member.userName} is now ${member.status === 'active' ? member.role : 'deactivated'}.`),
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (member: Member) =>
      ok(api.DELETE('/api/v1/orgs/{org}/members/{id}', { params: { path: { org, id: member.id } } })).then(
        () => member,
      ),
    onSuccess: (member) => {
      setRemoving(undefined);
      return done(`${member.userName} was removed from the organization.`);
    },
    onError: (error) => {
      setRemoving(undefined);
      fail(error);
    },
  });

  const search = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setFilters((f) => ({ ...f, q: typed.trim() }));
  };
  const setFilter = (name: 'status' | 'managedBy', value: string) => {
    pages.reset();
    setFilters((f) => ({ ...f, [name]: value }));
  };

  return (
    <>
      <h1>Members</h1>
      <InviteForm org={org} onInvited={(userName) => done(`${userName} was invited.`)} />

      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Everyone in the organization</h2>
        <form className="filters" onSubmit={search}>
          <div className="field">
            <label htmlFor={searchId}>Search members</label>
            <div className="copy-row">
              <input
                id={searchId}
                type="search"
                value={typed}
                placeholder="Name, userName or email"
                onChange={(event) => setTyped(event.target.value)}
              />
              <button type="submit" className="button secondary">
                Search
              </button>
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${searchId}-status`}>Status</label>
            <select
              id={`${searchId}-status`}
              value={filters.status}
              onChange={(event) => setFilter('status', event.target.value)}
            >
              <option value="">Any</option>
              <option value="active">Active</option>
              <option value="deactivated">Deactivated</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${searchId}-managed`}>Managed by</label>
            <select
              id={`${searchId}-managed`}
              value={filters.managedBy}
              onChange={(event) => setFilter('managedBy', event.target.value)}
            >
              <option value="">Anyone</option>
              <option value="portal">Portal</option>
              <option value="scim">Identity provider (SCIM)</option>
            </select>
          </div>
        </form>

        {notice ? (
          <div className="notice notice-ok" role="status">
            <p>{notice}</p>
          </div>
        ) : null}
        {actionError ? <ErrorMessage error={actionError} /> : null}

        {members.error ? (
          <ErrorMessage error={members.error} />
        ) : !members.data ? (
          <Loading label="Loading members…" />
        ) : members.data.items.length === 0 ? (
          <Empty>{filters.q ? `No member matches “${filters.q}”.` : 'No members match these filters.'}</Empty>
        ) : (
          <>
            <div className="table-wrap table-scroll">
              <table aria-describedby="members-heading" aria-busy={members.isFetching}>
                <thead>
                  <tr>
                    <th scope="col">Member</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="optional">
                      Managed by
                    </th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {members.data.items.map((member) => (
                    <MemberRow
                      key={member.id}
                      member={member}
                      busy={update.isPending || remove.isPending}
                      onRole={(role) => update.mutate({ member, change: { role } })}
                      onStatus={(status) => update.mutate({ member, change: { status } })}
                      onRemove={() => setRemoving(member)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Members pages"
              page={pages.page}
              nextCursor={members.data.nextCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          </>
        )}
      </section>

      <Dialog title="Remove member" open={removing !== undefined} onClose={() => setRemoving(undefined)}>
        <p>
          Remove <strong>{removing?.userName}</strong> from the organization? Their personal API keys and
          group memberships go with them; the audit trail keeps the event.
        </p>
        <div className="actions">
          <button
            type="button"
            className="button danger"
            disabled={remove.isPending}
            onClick={() => removing && remove.mutate(removing)}
          >
            Remove
          </button>
          <button type="button" className="button secondary" onClick={() => setRemoving(undefined)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </>
  );
}

function MemberRow({
  member,
  busy,
  onRole,
  onStatus,
  onRemove,
}: {
  member: Member;
  busy: boolean;
  onRole: (role: Role) => void;
  onStatus: (status: 'active' | 'deactivated') => void;
  onRemove: () => void;
}) {
  const roleId = useId();
  const name =
    member.displayName ?? ([member.givenName, member.familyName].filter(Boolean).join(' ') || null);
  return (
    <tr>
      <td>
        <span className="cell-main">{name ?? member.userName}</span>
        {name ? <span className="muted small cell-sub">{member.userName}</span> : null}
      </td>
      <td>
        {member.readOnly ? (
          <span>{member.role}</span>
        ) : (
          <>
            <label htmlFor={roleId} className="visually-hidden">
              Role of {member.userName}
            </label>
            <select
              id={roleId}
              value={member.role}
              disabled={busy}
              onChange={(event) => onRole(event.target.value as Role)}
            >
              <option value="basic">basic</option>
              <option value="manager">manager</option>
            </select>
          </>
        )}
        {member.effectiveRole !== member.role ? (
          <span className="muted small cell-sub">manager through a group</span>
        ) : null}
      </td>
      <td>
        <span className={member.status === 'active' ? 'badge' : 'badge badge-warn'}>{member.status}</span>
      </td>
      <td className="optional">
        <ManagedBy managedBy={member.managedBy} provisionedBy={member.provisionedBy} />
      </td>
      <td>
        {member.readOnly ? (
          <span className="read-only">
            <span className="badge badge-warn">Read-only</span>{' '}
            <span className="small">Managed by {idpName(member.provisionedBy?.idp)}: change it there.</span>
          </span>
        ) : (
          <div className="actions row-actions">
            <button
              type="button"
              className="button secondary small"
              disabled={busy}
              aria-label={`${member.status === 'active' ? 'Deactivate' : 'Reactivate'} ${member.userName}`}
              onClick={() => onStatus(member.status === 'active' ? 'deactivated' : 'active')}
            >
              {member.status === 'active' ? 'Deactivate' : 'Reactivate'}
            </button>
            <button
              type="button"
              className="button danger small"
              disabled={busy}
              aria-label={`Remove ${member.userName}`}
              onClick={onRemove}
            >
              Remove
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function InviteForm({ org, onInvited }: { org: string; onInvited: (userName: string) => void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('basic');
  const invite = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/orgs/{org}/members', {
          params: { path: { org } },
          body: { email: email.trim(), role },
        }),
      ),
    onSuccess: (member) => {
      setEmail('');
      setRole('basic');
      onInvited(member.userName);
    },
  });
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Invite a member</h2>
      <p className="hint">Their email becomes their userName: the address they sign in with.</p>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            <option value="basic">basic</option>
            <option value="manager">manager</option>
          </select>
        </div>
        <div className="field">
          <button type="submit" className="button" disabled={invite.isPending}>
            Invite
          </button>
        </div>
      </form>
      {invite.error ? <ErrorMessage error={invite.error} /> : null}
    </section>
  );
}
