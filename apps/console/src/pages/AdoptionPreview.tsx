/**
 * The adoption preview, for the Provisioning page beside "Provision existing users": before it is
 * saved, who the identity provider will take over, who will conflict and what to do about each,
 * and which of the organization's groups the IdP's groups of the same name will adopt.
 */
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api, ok } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/feedback';
import './pages.css';

const SHOWN = 20;

const KIND_LABELS = {
  user_name_case: 'Same userName in another case',
  not_matchable: 'The identity provider cannot match it',
  no_sign_in_email: 'No sign-in email',
} as const;

export function AdoptionPreview({ org }: { org: string }) {
  const id = useId();
  const preview = useQuery({
    queryKey: ['adoption-preview', org],
    queryFn: () =>
      ok(
        api.GET('/api/v1/orgs/{org}/provisioning/adoption-preview', {
          params: { path: { org }, query: { limit: SHOWN } },
        }),
      ),
  });
  if (preview.error) return <ErrorMessage error={preview.error} />;
  if (!preview.data) return <Loading label="Loading the adoption preview…" />;
  const { handOver, conflicts, groups } = preview.data;
  const more = (count: number, shown: number) =>
    count > shown ? <p className="muted small">and {count - shown} more</p> : null;
  return (
    <section className="card adoption-preview" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Adoption preview</h3>
      <p className="hint">
        What Provision existing users hands over: members here whose userName (ignoring case) the identity
        provider sends become managed by it.
      </p>
      <ul className="counts" aria-label="Adoption counts">
        <li>
          <strong>{handOver.count}</strong> handed over
        </li>
        <li>
          <strong>{conflicts.count}</strong> {conflicts.count === 1 ? 'conflict' : 'conflicts'}
        </li>
        <li>
          <strong>{groups.count}</strong> {groups.count === 1 ? 'group' : 'groups'} adopted with group sync
        </li>
      </ul>

      <h4 id={`${id}-conflicts`}>Conflicts</h4>
      {conflicts.items.length === 0 ? (
        <Empty>No conflicts: every member here has an email address the identity provider can match.</Empty>
      ) : (
        <ul className="steps" aria-labelledby={`${id}-conflicts`}>
          {conflicts.items.map((member) => (
            <li key={member.id}>
              <p className="wrap-anywhere">
                <strong>{member.userName}</strong>{' '}
                <span className="badge badge-warn">{KIND_LABELS[member.kind]}</span>
              </p>
              <p className="small wrap-anywhere">{member.hint}</p>
            </li>
          ))}
        </ul>
      )}
      {more(conflicts.count, conflicts.items.length)}

      <h4 id={`${id}-handover`}>Handed over to the identity provider</h4>
      {handOver.items.length === 0 ? (
        <Empty>No member here would be handed over.</Empty>
      ) : (
        <ul className="steps" aria-labelledby={`${id}-handover`}>
          {handOver.items.map((member) => (
            <li key={member.id} className="wrap-anywhere">
              {member.userName}
              {member.effectiveRole === 'manager' ? <span className="badge"> manager</span> : null}
              {member.status === 'deactivated' ? (
                <span className="badge badge-warn"> deactivated</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {more(handOver.count, handOver.items.length)}

      <h4 id={`${id}-groups`}>Groups adopted by name</h4>
      {groups.items.length === 0 ? (
        <Empty>No group here would be adopted.</Empty>
      ) : (
        <ul className="steps" aria-labelledby={`${id}-groups`}>
          {groups.items.map((group) => (
            <li key={group.id} className="wrap-anywhere">
              {group.displayName} <span className="muted small">({group.memberCount} members)</span>
              {group.role === 'manager' ? <span className="badge"> manager role</span> : null}
            </li>
          ))}
        </ul>
      )}
      {more(groups.count, groups.items.length)}
    </section>
  );
}
