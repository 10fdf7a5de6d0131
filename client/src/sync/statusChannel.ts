/**
 * Only the leader tab runs the live stream and replication; it tells the other tabs of the
 * same user what the connection status is, and when the user's rights may have changed,
 * over a BroadcastChannel.
 */
import { isSyncStatus, type SyncStatus } from './syncStatus.js';

type Message = { type: 'status'; status: SyncStatus } | { type: 'ask' } | { type: 'scope' };

export interface StatusChannel {
  /** Leader: announce this tab's status to the others. */
  publish(status: SyncStatus): void;
  /** Leader: the server reported a scope change (or the stream reconnected). */
  publishScope(): void;
  close(): void;
}

export function openStatusChannel(
  userId: string,
  onRemoteStatus: (status: SyncStatus) => void,
  /** The status this tab owns, or null while it is not the leader. */
  ownStatus: () => SyncStatus | null,
  onRemoteScope: () => void = () => undefined,
): StatusChannel {
  const none = () => undefined;
  if (typeof BroadcastChannel === 'undefined') return { publish: none, publishScope: none, close: none };
  const channel = new BroadcastChannel(`fleetsync.status.${userId}`);
  const post = (m: Message) => channel.postMessage(m);
  channel.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    if (m.type === 'ask') {
      const own = ownStatus();
      if (own) post({ type: 'status', status: own });
    } else if (m.type === 'status' && isSyncStatus(m.status) && ownStatus() === null) {
      onRemoteStatus(m.status);
    } else if (m.type === 'scope' && ownStatus() === null) {
      onRemoteScope();
    }
  };
  post({ type: 'ask' });
  return {
    publish: (status) => post({ type: 'status', status }),
    publishScope: () => post({ type: 'scope' }),
    close: () => channel.close(),
  };
}
