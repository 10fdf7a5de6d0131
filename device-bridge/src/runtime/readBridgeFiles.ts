/**
 * Read a bridge's data folder without changing it (safe while the bridge runs): the durable
 * store as the bridge would load it, and the printer history.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BridgeStore, STORE_FILE, type CommandEntry } from './bridgeStore.js';
import { HISTORY_FILE, type HistoryEvent } from './printerHistory.js';
import type { KnownPrinter } from './storeRecords.js';
import type { PrinterTelemetry } from '../adapters/sharedDevices.js';
import type { StoreRecord } from './storeRecords.js';

export interface BridgeFiles {
  printers: KnownPrinter[];
  states: Record<string, PrinterTelemetry>;
  commands: CommandEntry[];
  history: HistoryEvent[];
}

async function readLines<T>(file: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    try {
      if (line.trim()) out.push(JSON.parse(line) as T);
    } catch {
      // a torn last line while the bridge writes
    }
  }
  return out;
}

export async function readBridgeFiles(dataDir: string): Promise<BridgeFiles> {
  const store = BridgeStore.fold(await readLines<StoreRecord>(path.join(dataDir, STORE_FILE)));
  return {
    printers: [...store.printers.values()],
    states: Object.fromEntries(store.states),
    commands: [...store.commands.values()],
    history: await readLines<HistoryEvent>(path.join(dataDir, HISTORY_FILE)),
  };
}
