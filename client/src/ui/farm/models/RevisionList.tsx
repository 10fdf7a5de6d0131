/** The revisions of one model, newest first, with changelog and file facts. */
import { parseRevisions } from '../api/modelTypes.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { LoadState } from '../common/LoadState.js';
import { formatBytes, formatDuration, formatWhen } from '../common/format.js';

export function RevisionList({ modelId }: { modelId: string }) {
  const { state, reload } = useFarmQuery(`/api/models/${encodeURIComponent(modelId)}/revisions`, parseRevisions);
  return (
    <LoadState state={state} what="The revision history" onRetry={reload}>
      {(revisions) =>
        revisions.length === 0 ? (
          <p className="empty">No revisions yet.</p>
        ) : (
          <ol className="revision-list">
            {revisions.map((r) => (
              <li key={r.id}>
                <p>
                  <strong>Revision {r.number}</strong> – {r.fileName}{' '}
                  <span className="muted">
                    ({formatBytes(r.sizeBytes)}, {formatWhen(r.createdAt)})
                  </span>
                </p>
                {r.changelog && <p className="changelog">{r.changelog}</p>}
                {r.metadata?.estimatedSeconds !== undefined && (
                  <p className="muted">Estimated {formatDuration(r.metadata.estimatedSeconds)}</p>
                )}
              </li>
            ))}
          </ol>
        )
      }
    </LoadState>
  );
}
