/**
 * Reports and leases for the fleet service: reports go to the server online or wait in the
 * durable outbox; leases come from the server, or from the prefetched work while it is
 * unreachable.
 */
import { ServerRefused, ServerUnreachable } from './serverClient.js';
import type { LeasedWork } from './sharedFleet.js';
import { now, type FleetCore, type QueuedEvent } from './fleetTypes.js';

export interface FleetReports {
  flushOutbox(): Promise<void>;
  sendEvent(event: QueuedEvent): Promise<'accepted' | 'duplicate' | 'stale' | 'queued'>;
  noteHanded(agentId: string, w: LeasedWork | null): void;
  lease(agentId: string): Promise<LeasedWork | null>;
}

export function createFleetReports(core: FleetCore): FleetReports {
  const { log, server, grace, outbox, work, handed } = core;

  // --- reports: online, or into the durable outbox -------------------------------------------
  let flushing: Promise<void> | null = null;
  async function flushOutbox(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      while (outbox.length > 0 && !core.isStopped()) {
        const batch = outbox.slice(0, 100);
        try {
          await server.json('POST', '/api/bridge/fleet/events', { events: batch, via: 'outbox', graceSeconds: grace });
        } catch (err) {
          if (err instanceof ServerUnreachable) return;
          log.warn('the server refused queued reports; dropping them', { error: (err as Error).message });
        }
        outbox.splice(0, batch.length);
        await core.saveOutbox();
      }
    })().finally(() => (flushing = null));
    return flushing;
  }

  async function sendEvent(event: QueuedEvent): Promise<'accepted' | 'duplicate' | 'stale' | 'queued'> {
    if (outbox.length === 0 && !server.linkDown) {
      try {
        const res = await server.json<{ outcomes: { outcome: 'accepted' | 'duplicate' | 'stale' }[] }>(
          'POST',
          '/api/bridge/fleet/events',
          {
            events: [event],
            via: 'online',
            graceSeconds: grace,
          },
        );
        return res.outcomes[0]?.outcome ?? 'stale';
      } catch (err) {
        if (err instanceof ServerRefused) return 'stale';
      }
    }
    // Keep the order: once anything waits, everything after it waits too.
    outbox.push(event);
    await core.saveOutbox();
    return 'queued';
  }

  // --- leases -------------------------------------------------------------------------------
  const noteHanded = (agentId: string, w: LeasedWork | null) => {
    const sha = w?.package?.artifact?.sha256;
    if (!sha) return;
    const set = handed.get(agentId) ?? new Set<string>();
    set.add(sha);
    handed.set(agentId, set);
  };

  async function localLease(agentId: string): Promise<LeasedWork | null> {
    const mine = Object.entries(work.localLeases).find(([, l]) => l.deviceId === agentId && !l.done);
    if (mine) {
      const item = work.items.find((i) => i.work.executionId === mine[0]);
      if (item) return item.work;
    }
    const nowMs = Date.now();
    const item = work.items.find(
      (i) =>
        i.deviceId === agentId && !work.localLeases[i.work.executionId] && (!i.notBefore || Date.parse(i.notBefore) <= nowMs),
    );
    if (!item) return null;
    work.localLeases[item.work.executionId] = { deviceId: agentId, attempt: item.work.attempt, at: now() };
    await core.saveWork();
    log.info('leased work locally (server unreachable)', { agentId, executionId: item.work.executionId });
    return item.work;
  }

  async function lease(agentId: string): Promise<LeasedWork | null> {
    // Reports that waited go first, so the server decides on the newest state.
    if (outbox.length > 0 && !server.linkDown) await flushOutbox();
    if (!server.linkDown && outbox.length === 0) {
      try {
        const res = await server.json<{ work: LeasedWork | null }>('POST', '/api/bridge/fleet/lease', {
          deviceId: agentId,
          graceSeconds: grace,
        });
        return res.work;
      } catch (err) {
        if (err instanceof ServerRefused) return null;
      }
    }
    return localLease(agentId);
  }

  return { flushOutbox, sendEvent, noteHanded, lease };
}
