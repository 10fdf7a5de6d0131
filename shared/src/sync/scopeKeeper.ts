/**
 * Keeps a replica inside its read scope (SPEC S-S6). Each replication gets an injection
 * point; when the server reports a scope change (or on every connect, in case it changed
 * while offline) the keeper asks what may be read now, feeds tombstones for everything else
 * into the replications as if the server had sent them (so nothing is pushed), then purges
 * the tombstones from storage.
 */
import type { RxCollection } from 'rxdb';
import { Subject } from 'rxjs';
import type { Checkpoint } from '../protocol.js';
import type { SyncTransport } from './http.js';
import type { StreamItem } from './liveStream.js';
import { fetchScope, outOfScope, tombstones, type ScopeInfo } from './scope.js';

export interface Injection {
  injected$: Subject<StreamItem>;
  onCheckpoint: (cp: Checkpoint) => void;
  checkpoint(): Checkpoint | undefined;
}

export function createInjection(): Injection {
  let last: Checkpoint | undefined;
  return {
    injected$: new Subject<StreamItem>(),
    onCheckpoint: (cp) => (last = cp),
    checkpoint: () => last,
  };
}

export interface ScopeKeeperOptions {
  transport: SyncTransport;
  collections: Record<string, RxCollection>;
  injections: Record<string, Injection>;
  awaitInSync(name: string): Promise<unknown>;
}

export function createScopeKeeper(opts: ScopeKeeperOptions): { refresh(): Promise<ScopeInfo | null>; idle(): Promise<void> } {
  let chain: Promise<ScopeInfo | null> = Promise.resolve(null);
  const run = async (): Promise<ScopeInfo | null> => {
    let scope: ScopeInfo;
    try {
      scope = await fetchScope(opts.transport);
    } catch {
      return null; // offline or signed out: the next connection tries again
    }
    for (const [name, collection] of Object.entries(opts.collections)) {
      const injection = opts.injections[name];
      const cp = injection?.checkpoint();
      if (!injection || !cp) continue;
      const docs = (await collection.find().exec()).map((d) => d.toJSON() as Record<string, unknown>);
      const gone = docs.filter((d) => outOfScope(d, scope.collections[name]));
      if (gone.length === 0) continue;
      injection.injected$.next({ documents: tombstones(gone), checkpoint: cp });
      await opts.awaitInSync(name);
    }
    // Physically remove the tombstones: the local database no longer holds those documents.
    await Promise.all(Object.values(opts.collections).map((c) => c.cleanup(0)));
    return scope;
  };
  return {
    refresh() {
      chain = chain.then(run, run);
      return chain;
    },
    async idle() {
      await chain.catch(() => undefined);
    },
  };
}
