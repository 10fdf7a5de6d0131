/** `#/devices` (list), `#/devices/groups`, `#/devices/deployments`, `#/devices/<id>` (one device). */
import { hashSegments, useHash } from '../../hooks/useRoute.js';
import { DeploymentsPage } from './deployments/DeploymentsPage.js';
import { DeviceListPage } from './devices/DeviceListPage.js';
import { DevicePage } from './devices/DevicePage.js';
import { GroupsPage } from './groups/GroupsPage.js';

export function DevicesRoute() {
  const sub = hashSegments(useHash())[1];
  if (!sub) return <DeviceListPage />;
  if (sub === 'groups') return <GroupsPage />;
  if (sub === 'deployments') return <DeploymentsPage />;
  return <DevicePage key={sub} id={sub} />;
}
