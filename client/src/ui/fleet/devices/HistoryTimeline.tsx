/** The device's inventory history (newest first) from the server. */
import { useFarmQuery } from '../../farm/api/useFarmQuery.js';
import { formatWhen } from '../../farm/common/format.js';
import { LoadState } from '../../farm/common/LoadState.js';
import { parseHistory } from './historyTypes.js';

export function HistoryTimeline({ deviceId }: { deviceId: string }) {
  const { state, reload } = useFarmQuery(`/api/devices/${encodeURIComponent(deviceId)}/history?limit=100`, parseHistory);
  return (
    <section aria-labelledby="hist-h" data-testid="device-history">
      <h2 id="hist-h">History</h2>
      <LoadState state={state} what="The device history" onRetry={reload}>
        {(entries) =>
          entries.length === 0 ? (
            <p>No changes recorded yet.</p>
          ) : (
            <ol className="fleet-timeline">
              {entries.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.at}>{formatWhen(e.at)}</time>
                  <ul>
                    {e.changes.map((c, i) => (
                      <li key={i}>
                        <strong>{c.path}</strong>: {c.text}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )
        }
      </LoadState>
    </section>
  );
}
