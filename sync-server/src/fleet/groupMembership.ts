/**
 * Group membership on the server: targets of tasks and deployments are evaluated fresh (time
 * rules such as "offline for more than 7 days" included); each device document also carries
 * the `groupIds` of its last evaluation, refreshed when its inventory or liveness changes and
 * when a group changes (the org's devices in chunks, yielding between them).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Db, DbClient } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { listDocs, saveDocs, type FleetDoc } from './fleetDocs.js';
import {
  computeMemberships,
  isMember,
  PREDEFINED_GROUPS,
  type GroupDefinition,
  type GroupSubject,
  type Inventory,
  type RuleNode,
} from './sharedFleet.js';

export function subjectOf(doc: FleetDoc): GroupSubject {
  const d = doc.data;
  return {
    id: doc.id,
    name: d.name as string | undefined,
    tags: d.tags as string[] | undefined,
    customFields: d.customFields as Record<string, string | number | boolean> | undefined,
    lastSeenAt: d.lastSeenAt as string | undefined,
    agentVersion: d.agentVersion as string | undefined,
    bridgeId: d.bridgeId as string | undefined,
    inventory: d.inventory as Inventory | undefined,
  };
}

export async function loadGroups(c: DbClient, orgId: string): Promise<GroupDefinition[]> {
  const docs = await listDocs(c, 'deviceGroups', orgId);
  return docs.map((g) => ({
    id: g.id,
    kind: g.data.kind as 'static' | 'dynamic',
    deviceIds: g.data.deviceIds as string[] | undefined,
    rule: g.data.rule as RuleNode | undefined,
  }));
}

/** A group by id: one of the org's, or a predefined one. */
export function findGroup(groups: readonly GroupDefinition[], id: string): GroupDefinition | undefined {
  return groups.find((g) => g.id === id) ?? PREDEFINED_GROUPS.find((g) => g.id === id);
}

/** The live devices of an org that the given device ids and groups name, evaluated now. */
export async function resolveTargets(
  c: DbClient,
  orgId: string,
  deviceIds: readonly string[],
  groupIds: readonly string[],
  nowMs = Date.now(),
): Promise<string[]> {
  const devices = await listDocs(c, 'devices', orgId);
  const groups = await loadGroups(c, orgId);
  const wanted = groupIds.map((id) => findGroup(groups, id)).filter((g): g is GroupDefinition => !!g);
  const direct = new Set(deviceIds);
  return devices
    .filter((d) => direct.has(d.id) || wanted.some((g) => isMember(g, subjectOf(d), nowMs)))
    .map((d) => d.id)
    .sort();
}

/** Recomputes `groupIds` on these device documents and writes those that changed. */
export async function refreshMemberships(
  c: DbClient,
  orgId: string,
  devices: FleetDoc[],
  groups?: GroupDefinition[],
  nowMs = Date.now(),
): Promise<number> {
  const defs = groups ?? (await loadGroups(c, orgId));
  const writes = [];
  for (const d of devices) {
    const groupIds = computeMemberships(subjectOf(d), defs, nowMs);
    if (JSON.stringify(groupIds) !== JSON.stringify(d.data.groupIds ?? [])) {
      writes.push({ id: d.id, orgId, previous: d.data, next: { ...d.data, groupIds } });
    }
  }
  return saveDocs(c, 'devices', writes);
}

const CHUNK = 500;

/** After a group changed: every device of the org, a chunk per transaction, yielding between. */
export async function refreshOrgMemberships(db: Db, orgId: string): Promise<number> {
  let changed = 0;
  let after = '';
  for (;;) {
    const n = await withScope(db, { all: false, orgIds: [orgId] }, async (c) => {
      const ids = await c.query<{ id: string }>(
        "SELECT id FROM documents WHERE collection = 'devices' AND org_id = $1 AND NOT deleted AND id > $2 ORDER BY id LIMIT $3",
        [orgId, after, CHUNK],
      );
      if (ids.rows.length === 0) return -1;
      after = ids.rows.at(-1)!.id;
      const docs = await listDocs(c, 'devices', orgId, {}, { lock: true, ids: ids.rows.map((r) => r.id) });
      changed += await refreshMemberships(c, orgId, docs);
      return ids.rows.length;
    });
    if (n < CHUNK) return changed;
    await yieldToLoop();
  }
}
