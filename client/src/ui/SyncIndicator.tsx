/** Connection status and unsynced change count, announced politely to screen readers. */
import { useSyncInfo } from '../hooks/useSyncInfo.js';
import { SYNC_STATUS_TEXT } from '../sync/syncStatus.js';

export function SyncIndicator() {
  const { status, pending } = useSyncInfo();
  return (
    <div className="sync-indicator" role="status" aria-live="polite">
      <span className={`sync-dot sync-${status}`} aria-hidden="true" />
      <span data-testid="sync-status" data-state={status}>
        {SYNC_STATUS_TEXT[status]}
      </span>
      <span className="pending">
        <span data-testid="pending-count">{pending}</span> {pending === 1 ? 'change' : 'changes'} not synced
      </span>
    </div>
  );
}
