/** `#/devices/groups`: predefined, static and dynamic groups; the group editor with the rule builder. */
import { useState } from 'react';
import { can, type DeviceGroup } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { usePageTitle } from '../../farm/common/usePageTitle.js';
import { usePrincipal } from '../../farm/common/usePrincipal.js';
import { FleetTabs } from '../FleetTabs.js';
import { matchingDevices } from './MatchPreview.js';
import { GroupEditor } from './GroupEditor.js';
import { PREDEFINED_GROUPS, type GroupDefinition } from '../sharedFleet.js';
import { useFleetDocs } from '../useFleetDocs.js';

type Editing = { mode: 'new' } | { mode: 'edit'; group: DeviceGroup } | null;

export function GroupsPage() {
  const headingRef = usePageTitle('Device groups');
  const { orgId } = useReady();
  const principal = usePrincipal();
  const groups = useFleetDocs('deviceGroups');
  const devices = useFleetDocs('devices');
  const [editing, setEditing] = useState<Editing>(null);
  const [saved, setSaved] = useState('');
  const canWrite = orgId !== null && can(principal, 'deviceGroups.create', { orgId });
  const count = (g: GroupDefinition) =>
    g.kind === 'static'
      ? (g.deviceIds ?? []).filter((id) => devices.some((d) => d.id === id)).length
      : g.rule
        ? matchingDevices(g.rule, devices).length
        : 0;
  return (
    <section className="fleet-page">
      <h1 ref={headingRef} tabIndex={-1}>
        Device groups
      </h1>
      <FleetTabs current="groups" />
      <p role="status" className="muted" data-testid="group-saved">
        {saved}
      </p>
      {editing ? (
        <GroupEditor
          key={editing.mode === 'edit' ? editing.group.id : 'new'}
          group={editing.mode === 'edit' ? editing.group : undefined}
          devices={devices}
          onDone={(message) => {
            setEditing(null);
            if (message) setSaved(message);
          }}
        />
      ) : (
        canWrite && (
          <button type="button" onClick={() => setEditing({ mode: 'new' })}>
            New group
          </button>
        )
      )}
      {orgId === null && <p>Choose an organization in the header to create groups.</p>}
      <table className="doc-table" data-testid="group-table">
        <caption>Groups</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Devices</th>
            <th scope="col">Description</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {PREDEFINED_GROUPS.map((g) => (
            <tr key={g.id}>
              <th scope="row">{g.name}</th>
              <td>Predefined</td>
              <td>{count(g)}</td>
              <td>{g.description}</td>
              <td />
            </tr>
          ))}
          {groups.map((g) => (
            <tr key={g.id} data-testid={`group-row-${g.id}`}>
              <th scope="row">{g.name}</th>
              <td>{g.kind === 'dynamic' ? 'Dynamic' : 'Static'}</td>
              <td>{count(g)}</td>
              <td>{g.description ?? ''}</td>
              <td>
                {can(principal, 'deviceGroups.update', { orgId: g.orgId }) && (
                  <button type="button" onClick={() => setEditing({ mode: 'edit', group: g })}>
                    Edit<span className="visually-hidden"> {g.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
