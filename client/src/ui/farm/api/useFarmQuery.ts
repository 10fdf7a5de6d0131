/** One GET of a farm endpoint, re-run when the path changes or on `reload()`. */
import { useCallback, useEffect, useState } from 'react';
import { isNetworkError } from '../../../api/apiError.js';
import { describeError, isMissingEndpoint, useFarmApi } from './farmApi.js';

export type Loaded<T> =
  | { kind: 'loading' }
  | { kind: 'ok'; data: T }
  /** The server has no such endpoint (404). */
  | { kind: 'missing' }
  | { kind: 'offline' }
  | { kind: 'error'; message: string };

export function useFarmQuery<T>(path: string | null, parse: (body: unknown) => T): { state: Loaded<T>; reload: () => void } {
  const api = useFarmApi();
  const [round, setRound] = useState(0);
  const [result, setResult] = useState<{ key: string; state: Loaded<T> } | null>(null);
  const key = `${path ?? ''}#${round}`;

  useEffect(() => {
    if (path === null) return;
    let live = true;
    const settle = (state: Loaded<T>) => {
      if (live) setResult({ key, state });
    };
    api.get(path).then(
      (body) => {
        try {
          settle({ kind: 'ok', data: parse(body) });
        } catch (err) {
          settle({ kind: 'error', message: describeError(err) });
        }
      },
      (err: unknown) => {
        if (isMissingEndpoint(err)) settle({ kind: 'missing' });
        else if (isNetworkError(err)) settle({ kind: 'offline' });
        else settle({ kind: 'error', message: describeError(err) });
      },
    );
    return () => {
      live = false;
    };
    // `parse` is a module-level function; the key covers the path and reloads.
  }, [api, key]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const state: Loaded<T> = result?.key === key ? result.state : { kind: 'loading' };
  return { state, reload };
}
