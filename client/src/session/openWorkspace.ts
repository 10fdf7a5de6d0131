/** Everything that lives while a user is signed in: their local database and its sync. */
import { openLocalStore, type LocalStore } from '../db/openLocalStore.js';
import { startSync, type SyncHandle } from '../sync/startSync.js';
import { loadSession } from './sessionStorage.js';

export interface Workspace {
  store: LocalStore;
  sync: SyncHandle;
  close(): Promise<void>;
}

export async function openWorkspace(userId: string, onError: (err: unknown) => void): Promise<Workspace> {
  const store = await openLocalStore(userId);
  // Read fresh each time (a new sign-in takes effect at once), and never lend this user's
  // data another user's token if a different account signed in from another tab.
  const getToken = () => {
    const session = loadSession();
    return session?.userId === userId ? session.token : null;
  };
  const sync = startSync(store, { baseUrl: globalThis.location.origin, getToken, onError });
  return {
    store,
    sync,
    async close() {
      await sync.stop();
      await store.close();
    },
  };
}
