/** Plain facts about a device document for lists and filters. */
import { DEVICE_ONLINE_SECONDS, type Device, type DeviceGroup } from '@fleetsync/shared';
import { PREDEFINED_GROUPS } from './sharedFleet.js';

export const hostnameOf = (d: Device) => d.inventory?.hostname ?? d.name;
export const osOf = (d: Device) => (d.inventory ? `${d.inventory.os.name} ${d.inventory.os.version}`.trim() : '—');

export function isOnline(d: Pick<Device, 'lastSeenAt'>, nowMs = Date.now()): boolean {
  const seen = d.lastSeenAt ? Date.parse(d.lastSeenAt) : NaN;
  return !Number.isNaN(seen) && nowMs - seen <= DEVICE_ONLINE_SECONDS * 1000;
}

/** "3 min ago", "never". */
export function seenText(iso: string | undefined, nowMs = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'never';
  const min = Math.max(0, Math.floor((nowMs - t) / 60_000));
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  if (min < 48 * 60) return `${Math.floor(min / 60)} h ago`;
  return `${Math.floor(min / 1440)} d ago`;
}

/** Group names by id: the org's groups and the predefined ones. */
export function groupNames(groups: readonly Pick<DeviceGroup, 'id' | 'name'>[]): Map<string, string> {
  return new Map([...PREDEFINED_GROUPS.map((g) => [g.id, g.name] as const), ...groups.map((g) => [g.id, g.name] as const)]);
}
