import type { SyncStatus } from '../sync/syncStatus.js';
import { useReady } from '../ui/appContext.js';
import { useObservable } from './useObservable.js';

/** The connection status and the number of local changes the server has not acknowledged. */
export function useSyncInfo(): { status: SyncStatus; pending: number } {
  const { workspace, authLost } = useReady();
  const status = useObservable(workspace.sync.status$, 'connecting');
  const pending = useObservable(workspace.store.pending.count$, workspace.store.pending.count$.value);
  return { status: authLost && status !== 'offline' ? 'unauthorized' : status, pending };
}
