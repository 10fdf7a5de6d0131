/**
 * The device bridge runtime: one process per site that replicates its printers and their
 * commands, runs one adapter per printer, writes printer state (coalesced), runs commands at
 * most once, heartbeats, and keeps going while the server is away (bridgeStore.ts holds what
 * must survive a crash). See device-bridge/CONTEXT.md, "Bridge runtime".
 */
import { mkdir } from 'node:fs/promises';
import type { RxChangeEvent } from 'rxdb';
import type { Subscription } from 'rxjs';
import type { Replica, SyncTransport } from '@fleetsync/shared/sync';
import type { PrinterTelemetry } from '../adapters/sharedDevices.js';
import { AutoQueue } from './autoQueue.js';
import { AutoQueueLink } from './autoQueueLink.js';
import { modifyDoc, openBridgeReplica, readDoc, type DocData } from './bridgeReplica.js';
import type { BridgeState, RunningBridge } from './bridgeState.js';
import { BridgeStore } from './bridgeStore.js';
import { CommandRunner } from './commandRunner.js';
import { resolveConfig, type BridgeConfig } from './config.js';
import { CredentialCache } from './credentialCache.js';
import { Devices } from './devices.js';
import { PrinterHistory } from './printerHistory.js';
import { ServerLink } from './serverLink.js';
import { knownPrinter } from './storeRecords.js';
import { TelemetryWriter, type PrinterDocAccess } from './telemetryWriter.js';

export async function startBridge(config: BridgeConfig): Promise<RunningBridge> {
  const cfg = resolveConfig(config);
  const log = cfg.logger;
  await mkdir(cfg.dataDir, { recursive: true, mode: 0o700 });
  const store = await BridgeStore.open(cfg.dataDir, log);
  const history = await PrinterHistory.open(cfg.dataDir, log);
  const credentials = await CredentialCache.open(cfg.dataDir, log);
  const transport: SyncTransport = { baseUrl: cfg.serverUrl, getToken: () => cfg.token };
  const link = new ServerLink(transport);

  /** Set once the replica is open; the store is read (and crash recovery done) before. */
  const live: { replica?: Replica } = {};
  let stopped = false;
  let credentialsFresh = false;
  let serverReachable: boolean | null = null;
  const counters = { telemetryUpdates: 0, printerWritesAccepted: 0, heartbeats: 0, heartbeatFailures: 0 };
  const background = (work: Promise<unknown>, what: string) =>
    void work.catch((error: unknown) =>
      log.warn(`${what} failed`, { error: error instanceof Error ? error.message : String(error) }),
    );
  const docsOf = (name: 'printers' | 'commands'): PrinterDocAccess => ({
    read: async (id) => (live.replica ? readDoc(live.replica.collections[name]!, id) : undefined),
    modify: async (id, change) =>
      live.replica ? modifyDoc(live.replica.collections[name]!, id, change as (d: DocData) => DocData | null) : false,
  });

  const writer = new TelemetryWriter({ coalesceMs: cfg.coalesceMs, store, docs: docsOf('printers'), logger: log });
  /** Device telemetry → auto-queue (a printer waiting for its bed reads finished) → document and time series. */
  const deliver = (printerId: string, telemetry: PrinterTelemetry) =>
    history.observe(printerId, writer.update(printerId, autoQueue.present(printerId, telemetry)));
  const autoQueue = await AutoQueue.open({
    dataDir: cfg.dataDir,
    link: new AutoQueueLink(transport, cfg.bridgeId),
    devices: { get: (id) => devices.get(id), online: (id) => devices.online(id) },
    printerDoc: async (id) => (live.replica ? readDoc(live.replica.collections.printers!, id) : undefined),
    printerIds: () => [...store.printers.keys()],
    republish: (id) => {
      const adapter = devices.get(id);
      if (adapter && devices.tried(id)) deliver(id, adapter.telemetry);
    },
    logger: log,
    pollMs: cfg.autoQueuePollMs,
  });
  const devices: Devices = new Devices({
    logger: log,
    staticPrinters: cfg.printers,
    reconnect: cfg.deviceReconnect,
    onTelemetry: (printerId: string, telemetry: PrinterTelemetry) => {
      counters.telemetryUpdates += 1;
      deliver(printerId, telemetry);
    },
    onChange: () => {
      runner.scan();
      heartbeatSoon();
    },
  });
  const runner: CommandRunner = new CommandRunner({
    store,
    devices,
    docs: docsOf('commands'),
    history,
    logger: log,
    commandTimeoutMs: cfg.commandTimeoutMs,
    ackWaitMs: cfg.ackWaitMs,
    syncOnline: () => live.replica?.stream.status$.value === 'online',
    credentialsFresh: () => credentialsFresh,
    onExecuted: (command, outcome) => autoQueue.commandExecuted(command.targetId, command.action, outcome.ok),
  });
  const interrupted = await runner.recoverInterrupted();

  const reconcileDevices = () => background(devices.reconcile([...store.printers.values()], credentials), 'device reconcile');
  const refreshCredentials = async () => {
    const result = await link.credentials();
    if (!result.ok) return;
    credentialsFresh = true;
    if (await credentials.replace(result.value)) reconcileDevices();
  };

  let beating: Promise<void> | null = null;
  const heartbeat = () => {
    beating ??= (async () => {
      const list = [...store.printers.values()].map((p) => ({
        printerId: p.id,
        protocol: p.protocol,
        online: devices.online(p.id),
      }));
      const result = await link.register({ siteName: cfg.siteName, version: cfg.version, devices: list });
      if (result.ok) {
        counters.heartbeats += 1;
        if (serverReachable !== true) log.info('registered with the server', { devices: list.length });
      } else {
        counters.heartbeatFailures += 1;
        if (serverReachable !== false) log.warn('server unreachable; devices keep running', { reason: result.reason });
      }
      serverReachable = result.ok;
    })().finally(() => {
      beating = null;
    });
    return beating;
  };
  let soon: NodeJS.Timeout | undefined;
  const heartbeatSoon = () => {
    if (stopped || soon) return;
    soon = setTimeout(() => {
      soon = undefined;
      background(heartbeat(), 'heartbeat');
    }, 300);
  };

  // Printers the bridge knew before it (re)started: start talking to them now, server or not.
  reconcileDevices();

  const replica = await openBridgeReplica({
    transport,
    bridgeId: cfg.bridgeId,
    onRejected: (r) => background(runner.rejected(r), 'rejection'),
  });
  live.replica = replica;
  const printersCol = replica.collections.printers!;
  const commandsCol = replica.collections.commands!;
  const onPrinter = async (event: RxChangeEvent<DocData>) => {
    const id = event.documentId;
    const doc = event.documentData as DocData;
    if (event.operation === 'DELETE' || doc.bridgeId !== cfg.bridgeId) {
      if (!store.printers.has(id)) return;
      await store.removePrinter(id);
      writer.forget(id);
      return reconcileDevices();
    }
    const known = knownPrinter(doc);
    const before = store.printers.get(id);
    await store.putPrinter(known);
    if (JSON.stringify(before) !== JSON.stringify(known)) {
      reconcileDevices();
      if (!before) background(refreshCredentials(), 'credential refresh');
    }
    autoQueue.printerDocChanged(id, doc);
    writer.documentChanged(id, doc);
  };
  const subs: Subscription[] = [
    printersCol.$.subscribe((e) => background(onPrinter(e as RxChangeEvent<DocData>), 'printer update')),
    commandsCol.$.subscribe((e) =>
      background(
        e.operation === 'DELETE' ? runner.removed(e.documentId) : runner.replicated(e.documentData as DocData),
        'command update',
      ),
    ),
  ];
  const printersRepl = replica.replications.get('printers')!;
  const commandsRepl = replica.replications.get('commands')!;
  subs.push(
    printersRepl.sent$.subscribe(() => void (counters.printerWritesAccepted += 1)),
    commandsRepl.sent$.subscribe((d) => background(runner.serverHas(d), 'command confirmation')),
    commandsRepl.received$.subscribe((d) => background(runner.serverHas(d), 'command confirmation')),
  );
  // After the first complete pull, what the server no longer shows this bridge is dropped.
  background(
    Promise.all([printersRepl.awaitInitialReplication(), commandsRepl.awaitInitialReplication()]).then(async () => {
      if (stopped) return;
      const present = new Set((await printersCol.find().exec()).map((d) => d.primary));
      for (const id of [...store.printers.keys()]) {
        if (present.has(id)) continue;
        await store.removePrinter(id);
        writer.forget(id);
      }
      reconcileDevices();
      await runner.pruneMissing(new Set((await commandsCol.find().exec()).map((d) => d.primary)));
    }),
    'first sync',
  );

  const beat = setInterval(() => {
    background(heartbeat(), 'heartbeat');
    background(refreshCredentials(), 'credential refresh');
  }, cfg.heartbeatMs);
  const sweep = setInterval(() => {
    runner.scan();
    const nowMs = Date.now();
    for (const d of devices.list()) {
      if (d.online && nowMs - writer.lastWriteAt(d.printerId) >= cfg.seenRefreshMs)
        writer.touch(d.printerId, new Date(nowMs).toISOString());
    }
  }, cfg.sweepMs);
  background(heartbeat(), 'heartbeat');
  background(refreshCredentials(), 'credential refresh');
  autoQueue.start();
  log.info('bridge started', {
    bridgeId: cfg.bridgeId,
    printers: store.printers.size,
    commands: store.commands.size,
    undelivered: store.undelivered().length,
    interrupted,
  });

  const state: BridgeState = {
    bridgeId: cfg.bridgeId,
    get sync() {
      return live.replica?.stream.status$.value ?? 'stopped';
    },
    get serverReachable() {
      return serverReachable;
    },
    get printers() {
      return [...store.printers.values()].map((p) => ({
        printerId: p.id,
        name: p.name,
        protocol: p.protocol,
        online: devices.online(p.id),
        ...(writer.current(p.id) ? { state: writer.current(p.id) } : {}),
        ...(devices.problems.has(p.id) ? { problem: devices.problems.get(p.id) } : {}),
      }));
    },
    get commands() {
      return [...store.commands.values()].map((e) => ({
        id: e.command.id,
        printerId: e.command.targetId,
        action: e.command.action,
        status: e.command.status,
        ...(e.startedAt ? { startedAt: e.startedAt } : {}),
        ...(e.result ? { result: e.result } : {}),
      }));
    },
    get stats() {
      return {
        ...counters,
        ...runner.stats,
        printerWrites: writer.writes,
        writesByPrinter: Object.fromEntries(writer.writesByPrinter),
      };
    },
    history: (printerId) => history.list(printerId),
    jobs: (printerId) => history.jobs(printerId),
  };

  return {
    state,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(beat);
      clearInterval(sweep);
      if (soon) clearTimeout(soon);
      for (const s of subs) s.unsubscribe();
      await runner.stop();
      await autoQueue.stop();
      await devices.stop();
      await writer.stop();
      await beating;
      await replica.close();
      await store.close();
      await history.close();
      log.info('bridge stopped', { bridgeId: cfg.bridgeId });
    },
  };
}
