/** `#/devices`: every device of the organization with hostname, OS, liveness and groups; filters. */
import { useId, useMemo, useState } from 'react';
import { usePageTitle } from '../../farm/common/usePageTitle.js';
import { groupNames, hostnameOf, isOnline, osOf, seenText } from '../deviceInfo.js';
import { FleetTabs } from '../FleetTabs.js';
import { useFleetDocs } from '../useFleetDocs.js';

type Liveness = '' | 'online' | 'offline';

export function DeviceListPage() {
  const headingRef = usePageTitle('Devices');
  const devices = useFleetDocs('devices');
  const groups = useFleetDocs('deviceGroups');
  const names = useMemo(() => groupNames(groups), [groups]);
  const [search, setSearch] = useState('');
  const [liveness, setLiveness] = useState<Liveness>('');
  const [groupId, setGroupId] = useState('');
  const [os, setOs] = useState('');
  const id = useId();
  const now = Date.now();
  const osNames = [...new Set(devices.map((d) => d.inventory?.os.name).filter((x): x is string => !!x))].sort();
  const q = search.trim().toLowerCase();
  const shown = devices.filter(
    (d) =>
      (!q || `${d.name} ${hostnameOf(d)} ${d.tags.join(' ')}`.toLowerCase().includes(q)) &&
      (!liveness || isOnline(d, now) === (liveness === 'online')) &&
      (!groupId || (d.groupIds ?? []).includes(groupId)) &&
      (!os || d.inventory?.os.name === os),
  );
  return (
    <section className="fleet-page">
      <h1 ref={headingRef} tabIndex={-1}>
        Devices
      </h1>
      <FleetTabs current="list" />
      <form className="fleet-filters" role="search" aria-label="Filter devices" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${id}-q`}>Search</label>
        <input id={`${id}-q`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <label htmlFor={`${id}-live`}>Status</label>
        <select id={`${id}-live`} value={liveness} onChange={(e) => setLiveness(e.target.value as Liveness)}>
          <option value="">Any</option>
          <option value="online">Online</option>
          <option value="offline">Offline</option>
        </select>
        <label htmlFor={`${id}-group`}>Group</label>
        <select id={`${id}-group`} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
          <option value="">Any group</option>
          {[...names].map(([gid, name]) => (
            <option key={gid} value={gid}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-os`}>Operating system</label>
        <select id={`${id}-os`} value={os} onChange={(e) => setOs(e.target.value)}>
          <option value="">Any</option>
          {osNames.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </form>
      <p role="status" className="muted" data-testid="device-count">
        {shown.length} of {devices.length} {devices.length === 1 ? 'device' : 'devices'}
      </p>
      {devices.length === 0 ? (
        <p>No devices yet. Enroll an agent through a bridge to see it here.</p>
      ) : (
        <table className="doc-table" data-testid="device-table">
          <caption className="visually-hidden">Devices</caption>
          <thead>
            <tr>
              <th scope="col">Hostname</th>
              <th scope="col">Name</th>
              <th scope="col">OS</th>
              <th scope="col">Last seen</th>
              <th scope="col">Groups</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => {
              const online = isOnline(d, now);
              return (
                <tr key={d.id} data-testid={`device-row-${d.id}`}>
                  <th scope="row">
                    <a href={`#/devices/${encodeURIComponent(d.id)}`}>{hostnameOf(d)}</a>
                  </th>
                  <td>{d.name}</td>
                  <td>{osOf(d)}</td>
                  <td>
                    <span className={online ? 'badge badge-ok' : 'badge'}>{online ? 'Online' : 'Offline'}</span>{' '}
                    {seenText(d.lastSeenAt, now)}
                  </td>
                  <td>{(d.groupIds ?? []).map((g) => names.get(g) ?? g).join(', ') || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
