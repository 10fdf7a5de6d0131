/**
 * Opens the signed-in user's local database: the replicated collections (with the shared
 * field-clock conflict handler and clock hooks) and the local-only `attention` collection.
 */
import { createRxDatabase, type RxCollection, type RxCollectionCreator } from 'rxdb';
import { COLLECTION_NAMES, COLLECTIONS, createHlc, type Hlc } from '@fleetsync/shared';
import { createConflictHandler, installClockHooks } from '@fleetsync/shared/sync';
import { attentionSchema } from './attention.js';
import { deviceNodeId } from './nodeId.js';
import { PendingChanges } from './pendingChanges.js';
import { appStorage } from './storage.js';
import type { AppDatabase } from './types.js';

export interface LocalStore {
  userId: string;
  db: AppDatabase;
  hlc: Hlc;
  /** Ids the server refused in the current push; shared with the conflict handler. */
  rejected: Set<string>;
  pending: PendingChanges;
  close(): Promise<void>;
}

export function databaseName(userId: string): string {
  return `fleetsync_${userId.replace(/-/g, '').toLowerCase()}`;
}

export async function openLocalStore(userId: string): Promise<LocalStore> {
  const db = (await createRxDatabase({
    name: databaseName(userId),
    storage: await appStorage(),
    multiInstance: true,
    eventReduce: true,
    closeDuplicates: true,
  })) as unknown as AppDatabase;

  const rejected = new Set<string>();
  const creators: Record<string, RxCollectionCreator> = { attention: { schema: attentionSchema } };
  for (const name of COLLECTION_NAMES) {
    creators[name] = {
      schema: COLLECTIONS[name].rxSchema as RxCollectionCreator['schema'],
      conflictHandler: createConflictHandler(rejected) as RxCollectionCreator['conflictHandler'],
    };
  }
  try {
    await db.addCollections(creators);
  } catch (err) {
    await db.close();
    throw err;
  }

  const hlc = createHlc(deviceNodeId());
  const pending = new PendingChanges(userId);
  for (const name of COLLECTION_NAMES) {
    installClockHooks(db.collections[name] as unknown as RxCollection, hlc, (id) => pending.add(id));
  }

  return {
    userId,
    db,
    hlc,
    rejected,
    pending,
    async close() {
      pending.dispose();
      await db.close();
    },
  };
}
