/**
 * A replica: an RxDB database with some replicated collections, one live stream and one
 * replication per collection. Used by the device bridge, tests and benchmarks; the PWA
 * builds the same pieces around IndexedDB.
 */
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBCleanupPlugin } from 'rxdb/plugins/cleanup';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { ScopeInfo } from './scope.js';
import { createInjection, createScopeKeeper } from './scopeKeeper.js';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { COLLECTIONS, type CollectionName } from '../collections/index.js';
import { createHlc, type Hlc } from '../hlc.js';
import type { Checkpoint } from '../protocol.js';
import type { SyncTransport } from './http.js';
import { LiveStream } from './liveStream.js';
import type { ClockedDoc } from './merge.js';
import { createConflictHandler, installClockHooks, replicateCollection, type RejectedWrite } from './replicateCollection.js';

export interface ReplicaOptions {
  name: string;
  storage: RxStorage<unknown, unknown>;
  transport: SyncTransport;
  collections: CollectionName[];
  nodeId: string;
  onRejected?: (r: RejectedWrite) => void;
  batchSize?: number;
  /** Start replicating at once (default true). */
  live?: boolean;
}

export interface Replica {
  db: RxDatabase;
  hlc: Hlc;
  stream: LiveStream;
  collections: Record<string, RxCollection>;
  replications: Map<string, RxReplicationState<ClockedDoc, Checkpoint>>;
  rejections: RejectedWrite[];
  /** Emits after each scope refresh (with what the principal may read now). */
  scope$: Observable<ScopeInfo>;
  refreshScope(): Promise<void>;
  start(): void;
  /** Resolves once every replication has pushed and pulled everything it knows of. */
  awaitInSync(): Promise<void>;
  /** Stops syncing (simulates going offline) without closing the database. */
  goOffline(): Promise<void>;
  goOnline(): void;
  close(): Promise<void>;
}

addRxPlugin(RxDBCleanupPlugin);

export async function createReplica(opts: ReplicaOptions): Promise<Replica> {
  const db = await createRxDatabase({ name: opts.name, storage: opts.storage, multiInstance: false, eventReduce: true });
  const rejected = new Set<string>();
  const hlc = createHlc(opts.nodeId);
  const rejections: RejectedWrite[] = [];
  const defs = Object.fromEntries(
    opts.collections.map((n) => [
      n,
      { schema: COLLECTIONS[n].rxSchema as never, conflictHandler: createConflictHandler(rejected) as never },
    ]),
  );
  const collections = (await db.addCollections(defs)) as Record<string, RxCollection>;
  for (const c of Object.values(collections)) installClockHooks(c, hlc);

  let stream = new LiveStream({ ...opts.transport, minRetryMs: 200, maxRetryMs: 2000 });
  const replications = new Map<string, RxReplicationState<ClockedDoc, Checkpoint>>();
  const injections = Object.fromEntries(opts.collections.map((n) => [n, createInjection()]));
  let subscriptions: Subscription[] = [];
  const scopeEvents = new Subject<ScopeInfo>();
  const keeper = createScopeKeeper({
    transport: opts.transport,
    collections: Object.fromEntries(opts.collections.map((n) => [n, collections[n]!])),
    injections,
    awaitInSync: (name) => replications.get(name)?.awaitInSync() ?? Promise.resolve(),
  });
  /** SPEC S-S6: drop what may no longer be read. */
  const refreshScope = async (): Promise<void> => {
    const scope = await keeper.refresh();
    if (scope) scopeEvents.next(scope);
  };

  const startAll = () => {
    for (const name of opts.collections) {
      replications.set(
        name,
        replicateCollection({
          collection: collections[name]!,
          name,
          transport: opts.transport,
          stream,
          hlc,
          identifier: opts.name,
          rejected,
          batchSize: opts.batchSize,
          retryTime: 300,
          injected$: injections[name]!.injected$,
          onCheckpoint: injections[name]!.onCheckpoint,
          onRejected: (r) => {
            rejections.push(r);
            opts.onRejected?.(r);
          },
        }),
      );
    }
    subscriptions = [
      stream.scopeChanged$.subscribe(() => void refreshScope()),
      stream.connected$.subscribe(() => void refreshScope()),
    ];
    stream.start();
  };
  const stopAll = async () => {
    for (const s of subscriptions) s.unsubscribe();
    await Promise.all([...replications.values()].map((r) => r.cancel()));
    replications.clear();
    await stream.stop();
  };

  const replica: Replica = {
    db,
    hlc,
    get stream() {
      return stream;
    },
    collections,
    replications,
    rejections,
    start: startAll,
    async awaitInSync() {
      await Promise.all([...replications.values()].map((r) => r.awaitInSync()));
    },
    async goOffline() {
      await stopAll();
    },
    goOnline() {
      stream = new LiveStream({ ...opts.transport, minRetryMs: 200, maxRetryMs: 2000 });
      startAll();
    },
    scope$: scopeEvents.asObservable(),
    refreshScope,
    async close() {
      await keeper.idle();
      await stopAll();
      await db.close();
    },
  };
  if (opts.live !== false) startAll();
  return replica;
}
