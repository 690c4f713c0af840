/** Organization settings: its name and RBAC (which groups sync needs); the plan is the operator's. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, ok } from '../api/client';
import { ErrorMessage, Loading } from '../components/feedback';
import { Switch } from '../components/Switch';
import { useOrg, useOrganization } from '../session';

export function SettingsPage() {
  const org = useOrg();
  const organization = useOrganization(org);
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [rbac, setRbac] = useState(false);
  const [saved, setSaved] = useState(false);
  const nameId = useId();
  useEffect(() => {
    if (!organization.data) return;
    setName(organization.data.name);
    setRbac(organization.data.rbacEnabled);
  }, [organization.data]);
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/api/v1/orgs/{org}', {
          params: { path: { org } },
          body: { name: name.trim(), rbacEnabled: rbac },
        }),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(['organization', org], data);
      setSaved(true);
    },
  });
  return (
    <>
      <h1>Organization settings</h1>
      {organization.isPending ? <Loading /> : null}
      {organization.error ? <ErrorMessage error={organization.error} /> : null}
      {organization.data ? (
        <form
          className="card"
          onSubmit={(event) => {
            event.preventDefault();
            setSaved(false);
            save.mutate();
          }}
        >
          <div className="field">
            <label htmlFor={nameId}>Name</label>
            <input
              id={nameId}
              type="text"
              required
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
          </div>
          <div className="field">
            <p className="legend">Plan</p>
            <p>
              {organization.data.plan} <span className="muted small">(set by the Roster operator)</span>
            </p>
          </div>
          <Switch label="RBAC" checked={rbac} onChange={setRbac} />
          <p className="hint">
            Role-based access: a group's role applies to its members. Syncing SCIM groups needs it.
          </p>
          {save.error ? <ErrorMessage error={save.error} /> : null}
          {saved && !save.error ? (
            <p className="notice notice-ok" role="status">
              Saved.
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" className="button" disabled={save.isPending}>
              Save
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}
