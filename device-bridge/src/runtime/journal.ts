/**
 * An append-only file of JSON lines, made durable with fdatasync. Appends that arrive while a
 * sync is running are written and synced together (group commit); each append resolves only
 * once its line is on disk. `rewrite()` replaces the file atomically (temp file, fsync, rename,
 * fsync of the folder), which is how the owner compacts it.
 *
 * A crash can leave a torn last line: it is dropped on open, and the file is rewritten clean
 * before anything is appended, so a torn line never glues onto a new one.
 */
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { BridgeLogger } from './config.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Journal<R> {
  /**
   * The group being collected for the next sync. Each group is queued behind everything
   * before it, so a line appended after `rewrite()` was called can never be written into the
   * file that the rewrite replaces.
   */
  private batch: { lines: string[]; waiters: Waiter[] } | null = null;
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  /** Lines in the file now (after the last rewrite plus appends). */
  lines = 0;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private readonly mode: number,
  ) {}

  /** Read every intact record, then rewrite the file with exactly those (see the file comment). */
  static async open<R>(
    file: string,
    logger: BridgeLogger,
    options: { mode?: number; compact?: (records: R[]) => R[] } = {},
  ): Promise<{ journal: Journal<R>; records: R[] }> {
    const mode = options.mode ?? 0o600;
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n');
    const torn = lines.pop();
    if (torn) logger.warn('dropped a torn record at the end of the store (the bridge stopped mid-write)', { file });
    const records: R[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as R);
      } catch {
        logger.warn('skipped an unreadable record in the store', { file, line: line.slice(0, 120) });
      }
    }
    const kept = options.compact ? options.compact(records) : records;
    await writeAtomically(file, kept, mode);
    const journal = new Journal<R>(file, await open(file, 'a', mode), mode);
    journal.lines = kept.length;
    return { journal, records: kept };
  }

  /** Resolves once the record is on disk. */
  append(record: R): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (!this.batch) {
      const batch = { lines: [] as string[], waiters: [] as Waiter[] };
      this.batch = batch;
      this.tail = this.tail.then(() => this.drain(batch));
    }
    this.batch.lines.push(`${JSON.stringify(record)}\n`);
    return new Promise<void>((resolve, reject) => this.batch!.waiters.push({ resolve, reject }));
  }

  /** Replace the whole file with these records (after every append queued so far is written). */
  rewrite(records: R[]): Promise<void> {
    // Lines collected so far are synced before the rewrite (their records are in `records`);
    // later appends start a new group queued after it.
    this.batch = null;
    const run = async () => {
      await this.handle.close();
      await writeAtomically(this.file, records, this.mode);
      this.handle = await open(this.file, 'a', this.mode);
      this.lines = records.length;
    };
    const next = this.tail.then(run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    await this.handle.close();
  }

  private async drain(batch: { lines: string[]; waiters: Waiter[] }): Promise<void> {
    if (this.batch === batch) this.batch = null;
    const { lines, waiters } = batch;
    if (lines.length === 0) return;
    try {
      await this.handle.write(lines.join(''));
      await this.handle.datasync();
      this.lines += lines.length;
      for (const w of waiters) w.resolve();
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  }
}

async function writeAtomically(file: string, records: unknown[], mode: number): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    await handle.write(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncFolder(path.dirname(file));
}

/** Make a rename durable: fsync the folder that holds the file (a no-op where folders cannot be opened). */
export async function syncFolder(folder: string): Promise<void> {
  let dir: FileHandle | undefined;
  try {
    dir = await open(folder, 'r');
    await dir.sync();
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  } finally {
    await dir?.close();
  }
}
