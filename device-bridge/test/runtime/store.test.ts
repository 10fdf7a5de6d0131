/**
 * The durable store and the at-most-once rule on their own (no server, no device): torn writes,
 * compaction, and what a restarted bridge does with commands it had started.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger, type DeviceAdapter } from '../../src/adapters/deviceAdapter.js';
import { BridgeStore, STORE_FILE } from '../../src/runtime/bridgeStore.js';
import { CommandRunner } from '../../src/runtime/commandRunner.js';
import { Journal } from '../../src/runtime/journal.js';
import { PrinterHistory } from '../../src/runtime/printerHistory.js';
import type { KnownCommand } from '../../src/runtime/storeRecords.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const command = (over: Partial<KnownCommand> = {}): KnownCommand => ({
  id: `cmd-${Math.random().toString(36).slice(2)}`,
  targetKind: 'printer',
  targetId: 'printer-1',
  action: 'pause',
  params: {},
  status: 'pending',
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
  ...over,
});

/** A runner over an in-memory replica and one always-online device whose execute() is counted. */
async function runnerFor(store: BridgeStore) {
  const docs = new Map<string, Record<string, unknown>>();
  const execute = vi.fn<DeviceAdapter['execute']>(async () => ({ ok: true }));
  const history = await PrinterHistory.open(dir, silentLogger);
  const runner = new CommandRunner({
    store,
    devices: { get: () => ({ execute }) as unknown as DeviceAdapter, online: () => true, problems: new Map() },
    docs: {
      read: async (id) => docs.get(id),
      modify: async (id, change) => {
        const doc = docs.get(id);
        const next = doc && change(doc);
        if (next) docs.set(id, next);
        return Boolean(next);
      },
    },
    history,
    logger: silentLogger,
    commandTimeoutMs: 1_000,
    ackWaitMs: 0,
    syncOnline: () => false,
    credentialsFresh: () => true,
  });
  return { runner, docs, execute, history };
}

describe('journal', () => {
  it('drops a torn last line and keeps every synced record', async () => {
    const file = path.join(dir, 'j.jsonl');
    const { journal } = await Journal.open<{ n: number }>(file, silentLogger);
    await Promise.all([1, 2, 3].map((n) => journal.append({ n })));
    await journal.close();
    await appendFile(file, '{"n":4,"tor'); // the process died mid-write
    const reopened = await Journal.open<{ n: number }>(file, silentLogger);
    expect(reopened.records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await reopened.journal.append({ n: 5 });
    await reopened.journal.close();
    expect(
      (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).n),
    ).toEqual([1, 2, 3, 5]);
  });
});

describe('bridge store', () => {
  it('compacts to one record per fact', async () => {
    const store = await BridgeStore.open(dir, silentLogger);
    for (let i = 0; i < 1_500; i += 1) await store.putState('printer-1', { status: 'printing', progress: i / 15 });
    await store.close();
    const lines = (await readFile(path.join(dir, STORE_FILE), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThan(1_100);
    const reopened = await BridgeStore.open(dir, silentLogger);
    expect(reopened.states.get('printer-1')).toEqual({ status: 'printing', progress: 1_499 / 15 });
    expect((await readFile(path.join(dir, STORE_FILE), 'utf8')).trim().split('\n')).toHaveLength(1);
    await reopened.close();
  });
});

describe('at most once', () => {
  it('a command started before a crash is reported interrupted and never sent again', async () => {
    const first = await BridgeStore.open(dir, silentLogger);
    const cmd = command();
    await first.putCommand(cmd);
    await first.markStarted(cmd.id, new Date().toISOString());
    // crash: nothing else is written

    const store = await BridgeStore.open(dir, silentLogger);
    const { runner, docs, execute, history } = await runnerFor(store);
    expect(await runner.recoverInterrupted()).toBe(1);
    expect(store.commands.get(cmd.id)?.result).toMatchObject({ status: 'failed', resultCode: 'interrupted' });

    // The server still shows it pending: the outcome is delivered, the device is not touched.
    docs.set(cmd.id, { ...cmd });
    await runner.replicated({ ...cmd });
    runner.scan();
    await runner.stop();
    expect(docs.get(cmd.id)).toMatchObject({ status: 'failed', resultCode: 'interrupted', acknowledgedAt: expect.any(String) });
    expect(execute).not.toHaveBeenCalled();

    // Once the server shows the final status, the command is done for good.
    await runner.serverHas(docs.get(cmd.id)!);
    expect(store.commands.has(cmd.id)).toBe(false);
    expect(store.isDone(cmd.id)).toBe(true);
    await store.close();
    await history.close();
    await first.close();
  });

  it('runs a pending command once, expires a stale one, and never runs one someone else acknowledged', async () => {
    const store = await BridgeStore.open(dir, silentLogger);
    const { runner, docs, execute, history } = await runnerFor(store);
    const fresh = command();
    const stale = command({ expiresAt: new Date(Date.now() - 1).toISOString() });
    const acked = command({ status: 'acknowledged' });
    for (const c of [fresh, stale, acked]) {
      docs.set(c.id, { ...c });
      await runner.replicated({ ...c });
    }
    runner.scan();
    runner.scan();
    await vi.waitFor(() => expect(store.undelivered()).toHaveLength(3));
    await runner.stop();
    expect(execute).toHaveBeenCalledTimes(1);
    expect(docs.get(fresh.id)).toMatchObject({ status: 'succeeded' });
    expect(docs.get(stale.id)).toMatchObject({ status: 'expired', resultCode: 'expired' });
    expect(docs.get(acked.id)).toMatchObject({ status: 'failed', resultCode: 'interrupted' });

    // A restart re-reads the outcomes and sends nothing.
    await store.close();
    const again = await BridgeStore.open(dir, silentLogger);
    const second = await runnerFor(again);
    expect(await second.runner.recoverInterrupted()).toBe(0);
    second.runner.scan();
    await second.runner.stop();
    expect(second.execute).not.toHaveBeenCalled();
    expect(again.undelivered()).toHaveLength(3);
    await again.close();
    await history.close();
    await second.history.close();
  });
});
