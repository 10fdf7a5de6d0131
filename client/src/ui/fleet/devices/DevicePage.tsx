/** `#/devices/<id>`: one device's inventory and its history of inventory changes. */
import { usePageTitle } from '../../farm/common/usePageTitle.js';
import { useFleetDocs } from '../useFleetDocs.js';
import { groupNames, hostnameOf, isOnline, seenText } from '../deviceInfo.js';
import { FleetTabs } from '../FleetTabs.js';
import { HistoryTimeline } from './HistoryTimeline.js';
import { InventoryDetails } from './InventoryDetails.js';

export function DevicePage({ id }: { id: string }) {
  const device = useFleetDocs('devices').find((d) => d.id === id);
  const names = groupNames(useFleetDocs('deviceGroups'));
  const headingRef = usePageTitle(device ? hostnameOf(device) : 'Device');
  return (
    <section className="fleet-page">
      <p>
        <a href="#/devices">← All devices</a>
      </p>
      <h1 ref={headingRef} tabIndex={-1} data-testid="device-heading">
        {device ? hostnameOf(device) : 'Device'}
      </h1>
      <FleetTabs current="list" />
      {!device ? (
        <p role="alert">This device is not in your local data (it may have been removed, or sync has not finished).</p>
      ) : (
        <>
          <dl className="fleet-facts">
            <dt>Name</dt>
            <dd>{device.name}</dd>
            <dt>Status</dt>
            <dd>
              {isOnline(device) ? 'Online' : 'Offline'}, last seen {seenText(device.lastSeenAt)}
            </dd>
            <dt>Agent version</dt>
            <dd>{device.agentVersion ?? '—'}</dd>
            <dt>Tags</dt>
            <dd>{device.tags.join(', ') || '—'}</dd>
            <dt>Groups</dt>
            <dd>{(device.groupIds ?? []).map((g) => names.get(g) ?? g).join(', ') || '—'}</dd>
            {Object.entries(device.customFields).map(([k, v]) => (
              <div key={k} className="fleet-fact">
                <dt>{k}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
          <InventoryDetails device={device} />
          <HistoryTimeline deviceId={device.id} />
        </>
      )}
    </section>
  );
}
