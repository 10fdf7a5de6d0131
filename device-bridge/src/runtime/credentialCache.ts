/**
 * Device credentials as last received from the server, kept in `<dataDir>/device-credentials.json`
 * (mode 0600) so a bridge restarted while the server is down can still reach its printers.
 * They are secrets: this file is the only copy outside the server, and it never leaves the site.
 */
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { BridgeLogger } from './config.js';
import { syncFolder } from './journal.js';
import type { DeviceCredentials } from './serverLink.js';

export const CREDENTIALS_FILE = 'device-credentials.json';

export class CredentialCache {
  private byPrinter = new Map<string, DeviceCredentials>();
  /** Whether a list from the server is at hand (received now, or cached by an earlier run). */
  known = false;

  private constructor(private readonly file: string) {}

  static async open(dataDir: string, logger: BridgeLogger): Promise<CredentialCache> {
    const cache = new CredentialCache(path.join(dataDir, CREDENTIALS_FILE));
    try {
      const list = JSON.parse(await readFile(cache.file, 'utf8')) as DeviceCredentials[];
      if (Array.isArray(list)) {
        cache.byPrinter = new Map(list.map((c) => [c.printerId, c]));
        cache.known = true;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn('device credential cache unreadable; waiting for the server', {});
    }
    return cache;
  }

  get(printerId: string): DeviceCredentials | undefined {
    return this.byPrinter.get(printerId);
  }

  /** Replace the cache with the server's list; true when anything changed. */
  async replace(list: DeviceCredentials[]): Promise<boolean> {
    const next = new Map(list.map((c) => [c.printerId, c]));
    const wasKnown = this.known;
    this.known = true;
    if (wasKnown && canonical(next) === canonical(this.byPrinter)) return false;
    this.byPrinter = next;
    const temp = `${this.file}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.write(JSON.stringify(list));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    await syncFolder(path.dirname(this.file));
    return true;
  }
}

function canonical(map: Map<string, DeviceCredentials>): string {
  return JSON.stringify([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
