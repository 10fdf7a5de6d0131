import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable; pass a memoized observable (its identity is the key). */
export function useObservable<T>(source: Observable<T> | null, initial: T): T {
  const [value, setValue] = useState<{ source: Observable<T> | null; value: T }>({ source, value: initial });
  useEffect(() => {
    if (!source) return;
    const sub = source.subscribe((v) => setValue({ source, value: v }));
    return () => sub.unsubscribe();
  }, [source]);
  // A value from a previous source is stale once the source changed.
  return value.source === source ? value.value : initial;
}
