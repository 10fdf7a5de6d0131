/** What the UI shows about the connection to the sync server. */
import type { ConnectionStatus } from '@fleetsync/shared/sync';

export type SyncStatus = 'connecting' | 'online' | 'offline' | 'unauthorized';

export function toSyncStatus(s: ConnectionStatus): SyncStatus {
  return s === 'stopped' ? 'offline' : s;
}

export const SYNC_STATUS_TEXT: Record<SyncStatus, string> = {
  connecting: 'Connecting',
  online: 'Online',
  offline: 'Offline',
  unauthorized: 'Sign-in needed',
};

export function isSyncStatus(v: unknown): v is SyncStatus {
  return v === 'connecting' || v === 'online' || v === 'offline' || v === 'unauthorized';
}
