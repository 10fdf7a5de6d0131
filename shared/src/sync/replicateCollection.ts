/**
 * Wires one RxDB collection to the sync server with RxDB's replication protocol:
 * checkpoint pull, push with assumedMasterState, and the shared live stream.
 * Rejected documents revert to the server's state and are reported through
 * `onRejected` (never silently dropped, never retried forever: SPEC S-P8).
 */
import type { RxCollection, RxConflictHandler, WithDeleted } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { Hlc } from '../hlc.js';
import type { Checkpoint, PullResponse, PushRejection, PushResponse, WireDoc } from '../protocol.js';
import { postJson, type SyncTransport } from './http.js';
import type { LiveStream, StreamItem } from './liveStream.js';
import { EMPTY, merge, tap, type Observable } from 'rxjs';
import { deepEqual, maxClock, mergeByFieldClock, stampChangedFields, type ClockedDoc } from './merge.js';

export interface RejectedWrite {
  collection: string;
  rejection: PushRejection;
  /** The state the replica tried to write, kept so a person can see and redo it. */
  attempted: Record<string, unknown>;
}

const LOCAL_ONLY = ['_meta', '_rev', '_attachments'];
function toWire<T>(doc: T): WireDoc {
  const out = { ...(doc as Record<string, unknown>) };
  for (const k of LOCAL_ONLY) delete out[k];
  return out as WireDoc;
}

/** Documents the server refused in the current push; their conflict resolves to the master. */
export function createConflictHandler(rejected: Set<string>): RxConflictHandler<ClockedDoc> {
  return {
    isEqual: (a, b) => deepEqual(toWire(a), toWire(b)),
    resolve: async ({ realMasterState, newDocumentState }) => {
      if (rejected.delete(realMasterState.id)) return realMasterState;
      return mergeByFieldClock(
        realMasterState as WithDeleted<ClockedDoc>,
        newDocumentState as WithDeleted<ClockedDoc>,
      ) as WithDeleted<ClockedDoc>;
    },
  };
}

/**
 * Stamps field clocks on every local write (inserts and saves). Replication writes bypass
 * collection hooks, so only this replica's own edits get its timestamps.
 */
export function installClockHooks(collection: RxCollection, hlc: Hlc, onLocalWrite?: (id: string) => void): void {
  collection.preInsert((data: Record<string, unknown>) => {
    data.clock = stampChangedFields(undefined, data, hlc.now());
  }, false);
  // RxDB hands the previous state as a document or, for incremental writes, as plain data.
  collection.preSave(
    (data: Record<string, unknown>, prev: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>) => {
      const previous = typeof prev?.toJSON === 'function' ? prev.toJSON() : prev;
      data.clock = stampChangedFields(previous, data, hlc.now());
    },
    false,
  );
  if (onLocalWrite) {
    collection.postInsert((data: { id: string }) => onLocalWrite(data.id), false);
    collection.postSave((data: { id: string }) => onLocalWrite(data.id), false);
    collection.postRemove((data: { id: string }) => onLocalWrite(data.id), false);
  }
}

export interface ReplicateOptions {
  collection: RxCollection;
  name: string;
  transport: SyncTransport;
  stream: LiveStream;
  hlc: Hlc;
  /** Distinguishes replicas of the same collection (e.g. per user) so checkpoints don't mix. */
  identifier: string;
  rejected: Set<string>;
  onRejected?: (r: RejectedWrite) => void;
  /** Called with the ids the server acknowledged in a push. */
  onPushed?: (ids: string[]) => void;
  /** Extra stream items (e.g. local purges after a scope change), merged into the live stream. */
  injected$?: Observable<StreamItem>;
  /** The latest server checkpoint this replication has seen (pull or stream). */
  onCheckpoint?: (checkpoint: Checkpoint) => void;
  batchSize?: number;
  waitForLeadership?: boolean;
  retryTime?: number;
}

export function replicateCollection(opts: ReplicateOptions): RxReplicationState<ClockedDoc, Checkpoint> {
  const { name, transport, hlc } = opts;
  const base = `/api/sync/${encodeURIComponent(name)}`;
  return replicateRxCollection<ClockedDoc, Checkpoint>({
    collection: opts.collection as unknown as RxCollection<ClockedDoc>,
    replicationIdentifier: `fleetsync:${opts.identifier}:${name}`,
    live: true,
    retryTime: opts.retryTime ?? 2000,
    waitForLeadership: opts.waitForLeadership ?? false,
    autoStart: true,
    pull: {
      batchSize: opts.batchSize ?? 200,
      stream$: merge(
        opts.stream.streamFor(name).pipe(
          tap((item) => {
            if (item === 'RESYNC') return;
            opts.onCheckpoint?.(item.checkpoint);
            for (const d of item.documents) hlc.observe(maxClock(d as { clock?: Record<string, string> }));
          }),
        ),
        opts.injected$ ?? EMPTY,
      ) as never,
      handler: async (checkpoint, batchSize) => {
        const res = await postJson<PullResponse>(transport, `${base}/pull`, { checkpoint: checkpoint ?? null, limit: batchSize });
        for (const d of res.documents) hlc.observe(maxClock(d as { clock?: Record<string, string> }));
        if (res.checkpoint) opts.onCheckpoint?.(res.checkpoint);
        return {
          documents: res.documents as unknown as WithDeleted<ClockedDoc>[],
          checkpoint: res.checkpoint ?? checkpoint,
        } as never;
      },
    },
    push: {
      batchSize: opts.batchSize ? Math.min(opts.batchSize, 500) : 100,
      handler: async (rows) => {
        const body = {
          rows: rows.map((r) => ({
            assumedMasterState: r.assumedMasterState ? toWire(r.assumedMasterState) : null,
            newDocumentState: toWire(r.newDocumentState),
          })),
        };
        const res = await postJson<PushResponse>(transport, `${base}/push`, body);
        const byId = new Map(body.rows.map((r) => [r.newDocumentState.id, r.newDocumentState]));
        for (const rej of res.rejections) {
          opts.rejected.add(rej.id);
          opts.onRejected?.({ collection: name, rejection: rej, attempted: byId.get(rej.id) ?? { id: rej.id } });
        }
        const conflicted = new Set(res.conflicts.map((c) => c.id));
        opts.onPushed?.(body.rows.map((r) => r.newDocumentState.id).filter((id) => !conflicted.has(id)));
        return res.conflicts as unknown as WithDeleted<ClockedDoc>[];
      },
    },
  });
}
