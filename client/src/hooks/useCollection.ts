import { useMemo } from 'react';
import type { RxDocument } from 'rxdb';
import { collectionOf, type DocOf, type DocTypes } from '../db/types.js';
import { useReady } from '../ui/appContext.js';
import { useObservable } from './useObservable.js';

const EMPTY: never[] = [];

/**
 * Live documents of one replicated collection, in the given organization (all readable
 * documents when orgId is null), in the store's order.
 */
export function useCollection<N extends keyof DocTypes>(name: N, orgId: string | null): RxDocument<DocOf<N>>[] {
  const { workspace } = useReady();
  const docs$ = useMemo(() => {
    const collection = collectionOf(workspace.store.db, name);
    return collection.find(orgId ? { selector: { orgId } as never } : {}).$;
  }, [workspace, name, orgId]);
  return useObservable(docs$, EMPTY);
}
