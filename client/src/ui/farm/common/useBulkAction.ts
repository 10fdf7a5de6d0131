/** Runs one bulk-update request and keeps its per-item outcomes for display. */
import { useCallback, useState } from 'react';
import { isNetworkError } from '../../../api/apiError.js';
import { describeError, isMissingEndpoint, useFarmApi } from '../api/farmApi.js';
import { parseBulkOutcomes, type BulkOutcome } from '../api/reportTypes.js';

export type BulkState =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'done'; what: string; outcomes: BulkOutcome[] }
  | { kind: 'failed'; what: string; message: string };

export function useBulkAction(path: string) {
  const api = useFarmApi();
  const [state, setState] = useState<BulkState>({ kind: 'idle' });

  const run = useCallback(
    async (what: string, body: { ids: string[] } & Record<string, unknown>): Promise<BulkOutcome[] | null> => {
      setState({ kind: 'busy', what });
      try {
        const outcomes = parseBulkOutcomes(await api.post(path, body));
        setState({ kind: 'done', what, outcomes });
        return outcomes;
      } catch (err) {
        const message = isMissingEndpoint(err)
          ? 'Bulk updates are not available on this server yet. Nothing was changed.'
          : isNetworkError(err)
            ? 'Bulk updates need a connection to the server. You are offline; nothing was changed.'
            : describeError(err);
        setState({ kind: 'failed', what, message });
        return null;
      }
    },
    [api, path],
  );

  const reset = useCallback(() => setState({ kind: 'idle' }), []);
  return { state, run, reset };
}
