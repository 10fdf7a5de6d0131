/** A small JSON file per concern under the bridge's cache folder, written atomically (tmp + rename). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class JsonFile<T> {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly fallback: () => T,
  ) {}

  async load(): Promise<T> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch {
      return this.fallback();
    }
  }

  /** Writes are serialized; the last one wins. */
  save(value: T): Promise<void> {
    const text = JSON.stringify(value);
    this.writing = this.writing.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    return this.writing;
  }
}
