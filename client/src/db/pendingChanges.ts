/**
 * Ids of documents written here and not yet acknowledged by the server. Persisted in
 * localStorage (per user) so the count survives an offline reload, and shared between
 * tabs: every change is a read-modify-write, and other tabs' changes arrive as `storage`
 * events.
 */
import { BehaviorSubject } from 'rxjs';
import { readJson, writeJson } from '../localJson.js';

export class PendingChanges {
  readonly count$: BehaviorSubject<number>;
  private readonly key: string;
  private readonly onStorage = (e: StorageEvent) => {
    if (e.key === this.key) this.count$.next(this.read().size);
  };

  constructor(userId: string) {
    this.key = `fleetsync.pending.${userId}`;
    this.count$ = new BehaviorSubject(this.read().size);
    globalThis.addEventListener?.('storage', this.onStorage);
  }

  add(id: string): void {
    const ids = this.read();
    if (ids.has(id)) return;
    ids.add(id);
    this.write(ids);
  }

  remove(ids: readonly string[]): void {
    const current = this.read();
    let changed = false;
    for (const id of ids) changed = current.delete(id) || changed;
    if (changed) this.write(current);
  }

  has(id: string): boolean {
    return this.read().has(id);
  }

  dispose(): void {
    globalThis.removeEventListener?.('storage', this.onStorage);
    this.count$.complete();
  }

  private read(): Set<string> {
    const v = readJson(this.key);
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  }

  private write(ids: Set<string>): void {
    writeJson(this.key, [...ids]);
    this.count$.next(ids.size);
  }
}
