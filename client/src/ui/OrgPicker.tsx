/** The user's organization: its name, or a selector when there is more than one (every org for platform staff). */
import { useId, useMemo } from 'react';
import { visibleOrgs } from '../session/visibleOrgs.js';
import { useController, useReady } from './appContext.js';

export function OrgPicker() {
  const { me, orgId, platformOrgs } = useReady();
  const controller = useController();
  const id = useId();
  const orgs = useMemo(() => visibleOrgs(me, platformOrgs), [me, platformOrgs]);
  if (orgs.length === 0) return <p className="org-name">No organization</p>;
  if (orgs.length === 1)
    return (
      <p className="org-name" data-testid="org-name">
        {orgs[0]?.name}
      </p>
    );
  return (
    <div className="org-picker">
      <label htmlFor={id}>Organization</label>
      <select id={id} value={orgId ?? ''} onChange={(e) => controller.selectOrg(e.target.value)}>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
            {o.suspended ? ' (suspended)' : ''}
            {o.role === null ? ' (not a member)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
