/**
 * Only the leader tab runs the live stream and replication; it tells the other tabs of the
 * same user what the connection status is over a BroadcastChannel.
 */
import { isSyncStatus, type SyncStatus } from './syncStatus.js';

type Message = { type: 'status'; status: SyncStatus } | { type: 'ask' };

export interface StatusChannel {
  /** Leader: announce this tab's status to the others. */
  publish(status: SyncStatus): void;
  close(): void;
}

export function openStatusChannel(
  userId: string,
  onRemoteStatus: (status: SyncStatus) => void,
  /** The status this tab owns, or null while it is not the leader. */
  ownStatus: () => SyncStatus | null,
): StatusChannel {
  if (typeof BroadcastChannel === 'undefined') return { publish: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(`fleetsync.status.${userId}`);
  const post = (m: Message) => channel.postMessage(m);
  channel.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    if (m.type === 'ask') {
      const own = ownStatus();
      if (own) post({ type: 'status', status: own });
    } else if (m.type === 'status' && isSyncStatus(m.status) && ownStatus() === null) {
      onRemoteStatus(m.status);
    }
  };
  post({ type: 'ask' });
  return {
    publish: (status) => post({ type: 'status', status }),
    close: () => channel.close(),
  };
}
