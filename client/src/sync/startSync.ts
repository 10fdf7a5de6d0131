/**
 * Replication of the signed-in user's collections: one live stream and one RxDB
 * replication per collection. Only the leader tab replicates (RxDB leader election); the
 * others learn the connection status from it.
 */
import { BehaviorSubject, combineLatest, distinctUntilChanged, filter, map, merge, Subject, type Observable } from 'rxjs';
import type { RxCollection } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { COLLECTION_NAMES } from '@fleetsync/shared';
import { createInjection, createScopeKeeper, LiveStream, replicateCollection, type SyncTransport } from '@fleetsync/shared/sync';
import type { LocalStore } from '../db/openLocalStore.js';
import { enforceScope } from './enforceScope.js';
import { recordRejection } from './recordRejection.js';
import { isAuthFailure } from './authFailure.js';
import { settledId } from './settledByConflict.js';
import { openStatusChannel } from './statusChannel.js';
import { toSyncStatus, type SyncStatus } from './syncStatus.js';

const STOP_GRACE_MS = 1500;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SyncHandle {
  status$: Observable<SyncStatus>;
  /** The server changed what this user may read (membership or role changed); also heard from the leader tab. */
  scopeChanged$: Observable<void>;
  /** Each (re)connection of the live stream (rights may have changed while away). */
  connected$: Observable<void>;
  /** The server refused the access token (expired, revoked): time to refresh or sign in again. */
  authProblem$: Observable<unknown>;
  /** Try the server again now (after a new sign-in, or when the network comes back). */
  reconnect(): void;
  stop(): Promise<void>;
}

export interface SyncOptions {
  baseUrl: string;
  getToken: SyncTransport['getToken'];
  /** Reports failures that are not shown elsewhere (e.g. writing a rejection locally). */
  onError?: (err: unknown) => void;
}

export function startSync(store: LocalStore, opts: SyncOptions): SyncHandle {
  const transport: SyncTransport = { baseUrl: opts.baseUrl, getToken: opts.getToken };
  const stream = new LiveStream(transport);
  const connection$ = new BehaviorSubject<SyncStatus>('connecting');
  const browserOnline$ = new BehaviorSubject<boolean>(globalThis.navigator?.onLine ?? true);
  let leading = false;
  let stopped = false;

  const remoteScope$ = new Subject<void>();
  const channel = openStatusChannel(
    store.userId,
    (s) => connection$.next(s),
    () => (leading ? connection$.value : null),
    () => remoteScope$.next(),
  );

  const injections = Object.fromEntries(COLLECTION_NAMES.map((n) => [n, createInjection()]));
  const replications: RxReplicationState<unknown, unknown>[] = COLLECTION_NAMES.map(
    (name) =>
      replicateCollection({
        injected$: injections[name]!.injected$,
        onCheckpoint: injections[name]!.onCheckpoint,
        collection: store.db.collections[name] as unknown as RxCollection,
        name,
        transport,
        stream,
        hlc: store.hlc,
        identifier: store.userId,
        rejected: store.rejected,
        waitForLeadership: true,
        onRejected: (r) => recordRejection(store, r).catch((err: unknown) => opts.onError?.(err)),
        onPushed: (ids) => store.pending.remove(ids),
      }) as RxReplicationState<unknown, unknown>,
  );

  // Rights that shrink: drop what may no longer be read, locally and for good (SPEC S-S6).
  const keeper = createScopeKeeper({
    transport,
    collections: Object.fromEntries(COLLECTION_NAMES.map((n) => [n, store.db.collections[n] as unknown as RxCollection])),
    injections,
    awaitInSync: (name) => replications[COLLECTION_NAMES.indexOf(name as never)]!.awaitInSync(),
  });
  const scopeParts = {
    store,
    isStopped: () => stopped,
    replications: new Map(COLLECTION_NAMES.map((n, i) => [n as string, replications[i]!])),
    refreshKeeper: () => keeper.refresh(),
  };
  let enforcing: Promise<unknown> = Promise.resolve();
  const refreshScope = () => {
    if (!leading || stopped) return;
    channel.publishScope();
    const run = () => (stopped ? null : enforceScope(scopeParts));
    enforcing = enforcing.then(run, run).catch((err: unknown) => opts.onError?.(err));
  };
  const scopeSubs = [stream.scopeChanged$.subscribe(refreshScope), stream.connected$.subscribe(refreshScope)];

  const settledSubs = replications.map((r) =>
    r.conflict$.subscribe((c) => {
      const id = settledId(c);
      if (id) store.pending.remove([id]);
    }),
  );

  const streamSub = stream.status$.subscribe((s) => {
    if (!leading) return;
    const status = toSyncStatus(s);
    connection$.next(status);
    channel.publish(status);
  });

  store.db
    .waitForLeadership()
    .then(() => {
      if (stopped) return;
      leading = true;
      connection$.next(toSyncStatus(stream.status$.value));
      stream.start();
    })
    .catch((err: unknown) => opts.onError?.(err));

  const reconnect = () => {
    if (!leading || stopped) return;
    stream.reconnect();
    for (const r of replications) r.reSync();
  };
  const onOnline = () => {
    browserOnline$.next(true);
    reconnect();
  };
  const onOffline = () => {
    browserOnline$.next(false);
    // A stream cut by the network may hang rather than fail; reconnecting surfaces it.
    if (leading && !stopped) stream.reconnect();
  };
  globalThis.addEventListener?.('online', onOnline);
  globalThis.addEventListener?.('offline', onOffline);

  const status$ = combineLatest([connection$, browserOnline$]).pipe(
    map(([s, online]): SyncStatus => (online ? s : 'offline')),
    distinctUntilChanged(),
  );

  const authProblem$ = merge(
    status$.pipe(filter((s) => s === 'unauthorized')),
    stream.closed$.pipe(filter((c) => isAuthFailure(c))),
    ...replications.map((r) => r.error$.pipe(filter((e) => isAuthFailure(e)))),
  );

  return {
    status$,
    authProblem$,
    scopeChanged$: merge(stream.scopeChanged$, remoteScope$),
    connected$: stream.connected$.asObservable(),
    reconnect,
    async stop() {
      if (stopped) return;
      stopped = true;
      globalThis.removeEventListener?.('online', onOnline);
      globalThis.removeEventListener?.('offline', onOffline);
      streamSub.unsubscribe();
      for (const sub of settledSubs) sub.unsubscribe();
      for (const sub of scopeSubs) sub.unsubscribe();
      // A scope run in progress may wait for replications that cannot finish any more (the session
      // was just revoked by signing out): give it a moment, then close regardless.
      await Promise.race([Promise.all([enforcing, keeper.idle()]), delay(STOP_GRACE_MS)]);
      channel.close();
      remoteScope$.complete();
      await Promise.all(replications.map((r) => r.cancel()));
      await stream.stop();
      connection$.complete();
      browserOnline$.complete();
    },
  };
}
