/** Live documents of one replicated collection matching a selector (plain JSON). */
import { useMemo } from 'react';
import { map } from 'rxjs';
import { collectionOf, type DocOf, type DocTypes } from '../../../db/types.js';
import { useObservable } from '../../../hooks/useObservable.js';
import { useReady } from '../../appContext.js';

export function useQuery<N extends keyof DocTypes>(name: N, selector: Record<string, unknown>): DocOf<N>[] {
  const { workspace } = useReady();
  const key = JSON.stringify(selector);
  const docs$ = useMemo(
    () =>
      collectionOf(workspace.store.db, name)
        .find({ selector: JSON.parse(key) as never })
        .$.pipe(map((docs) => docs.map((d) => d.toJSON() as DocOf<N>))),
    [workspace, name, key],
  );
  return useObservable(docs$, EMPTY as DocOf<N>[]);
}

const EMPTY: never[] = [];
