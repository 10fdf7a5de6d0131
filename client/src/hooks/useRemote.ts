import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorText } from '../api/apiError.js';

export interface Remote<T> {
  data: T | null;
  /** The last load's failure, as a sentence for the screen. */
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads something from the server when `key` changes (and on `reload`). Answers of an
 * earlier key that arrive late are dropped.
 */
export function useRemote<T>(key: string, load: () => Promise<T>): Remote<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null; loading: boolean }>({
    key,
    data: null,
    error: null,
    loading: true,
  });
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let live = true;
    setState((s) => ({ key, data: s.key === key ? s.data : null, error: null, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ key, data, error: null, loading: false }),
      (err: unknown) => live && setState((s) => ({ ...s, key, error: errorText(err), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const fresh = state.key === key;
  return { data: fresh ? state.data : null, error: fresh ? state.error : null, loading: !fresh || state.loading, reload };
}
