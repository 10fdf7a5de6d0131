/**
 * Runs at most one instance of a job per key at a time, with at most one more queued behind
 * it: callers arriving while it runs all wait for that one next run (which sees everything
 * they came about). Twenty results of one wave then cost two evaluations, not twenty, and do
 * not hold twenty pooled connections waiting on one lock.
 */
interface Entry {
  running: Promise<void>;
  queued?: Promise<void>;
}

export class Coalescer {
  private readonly entries = new Map<string, Entry>();

  run(key: string, job: () => Promise<void>): Promise<void> {
    const current = this.entries.get(key);
    if (!current) return this.start(key, job);
    current.queued ??= current.running.catch(() => undefined).then(() => this.start(key, job));
    return current.queued;
  }

  private start(key: string, job: () => Promise<void>): Promise<void> {
    const entry: Entry = { running: Promise.resolve() };
    entry.running = job().finally(() => {
      if (this.entries.get(key) === entry && !entry.queued) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry.running;
  }
}
