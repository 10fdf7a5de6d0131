/**
 * What bridges do on behalf of their agents: enroll with a one-time secret (the agent gets its
 * own credential; only its SHA-256 is kept), list their agents' credential digests (so the
 * bridge can authenticate agents while the server is unreachable), record heartbeats, and
 * apply inventory deltas (current state in the device document, changes in the history table).
 */
import { ErrorCode, newId } from '@fleetsync/shared';
import type { Db, DbClient } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { newAgentCredential, secretHash } from './agentSecrets.js';
import type { BridgeRef } from './executionService.js';
import { getDoc, listDocs, saveDocs } from './fleetDocs.js';
import { loadGroups, subjectOf } from './groupMembership.js';
import { applyInventoryDelta, computeMemberships, inventoryChanges, type Inventory, type InventoryDelta } from './sharedFleet.js';

/** A device document's `lastSeenAt` is rewritten at most this often (heartbeats are more frequent). */
export const LAST_SEEN_WRITE_SECONDS = 60;

export interface Enrolled {
  deviceId: string;
  orgId: string;
  credential: string;
  secretId: string;
}

/** Exchanges a one-time enrollment secret for a new device and its credential. A used, expired or unknown secret is refused. */
export async function enrollAgent(
  db: Db,
  bridge: BridgeRef,
  input: { secret: string; hostname: string; agentVersion: string },
): Promise<Enrolled> {
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    const deviceId = newId();
    const used = await c.query<{ id: string; label: string; created_by: string | null }>(
      `UPDATE agent_enrollment_secrets SET used_at = now(), used_by_device = $2
       WHERE secret_hash = $1 AND org_id = $3 AND used_at IS NULL AND expires_at > now() AND (bridge_id IS NULL OR bridge_id = $4)
       RETURNING id, label, created_by`,
      [secretHash(input.secret), deviceId, bridge.orgId, bridge.bridgeId],
    );
    const secret = used.rows[0];
    if (!secret) throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'the enrollment secret is unknown, expired or already used');
    const credential = newAgentCredential();
    const now = new Date().toISOString();
    const name = input.hostname.trim().slice(0, 120) || `agent-${deviceId.slice(0, 8)}`;
    const doc = {
      kind: 'agent',
      name,
      tags: [],
      customFields: {},
      bridgeId: bridge.bridgeId,
      agentVersion: input.agentVersion.slice(0, 40),
      enrolledAt: now,
      lastSeenAt: now,
    };
    const groups = await loadGroups(c, bridge.orgId);
    const groupIds = computeMemberships({ id: deviceId, ...doc }, groups, Date.now());
    await saveDocs(c, 'devices', [
      { id: deviceId, orgId: bridge.orgId, actor: secret.created_by ?? undefined, next: { ...doc, groupIds } },
    ]);
    await c.query(
      'INSERT INTO agent_credentials (device_id, org_id, bridge_id, credential_hash, last_seen_at) VALUES ($1, $2, $3, $4, now())',
      [deviceId, bridge.orgId, bridge.bridgeId, secretHash(credential)],
    );
    return { deviceId, orgId: bridge.orgId, credential, secretId: secret.id };
  });
}

export async function bridgeAgents(db: Db, bridge: BridgeRef): Promise<{ deviceId: string; credentialHash: string }[]> {
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    const res = await c.query<{ device_id: string; credential_hash: string }>(
      `SELECT k.device_id, k.credential_hash FROM agent_credentials k
       JOIN documents d ON d.collection = 'devices' AND d.id = k.device_id AND NOT d.deleted
       WHERE k.org_id = $1 AND k.bridge_id = $2 AND k.revoked_at IS NULL ORDER BY k.device_id`,
      [bridge.orgId, bridge.bridgeId],
    );
    return res.rows.map((r) => ({ deviceId: r.device_id, credentialHash: r.credential_hash }));
  });
}

async function ownedDeviceIds(c: DbClient, bridge: BridgeRef, ids: string[]): Promise<Set<string>> {
  const res = await c.query<{ device_id: string }>(
    'SELECT device_id FROM agent_credentials WHERE org_id = $1 AND bridge_id = $2 AND revoked_at IS NULL AND device_id = ANY($3::text[])',
    [bridge.orgId, bridge.bridgeId, ids],
  );
  return new Set(res.rows.map((r) => r.device_id));
}

/** Heartbeats (batched by the bridge). The document's lastSeenAt moves only when it is older than a minute. */
export async function recordHeartbeats(
  db: Db,
  bridge: BridgeRef,
  beats: { deviceId: string; at: string; agentVersion?: string }[],
): Promise<number> {
  if (beats.length === 0) return 0;
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    const owned = await ownedDeviceIds(
      c,
      bridge,
      beats.map((b) => b.deviceId),
    );
    const latest = new Map<string, { at: string; agentVersion?: string }>();
    const nowMs = Date.now();
    for (const b of beats) {
      if (!owned.has(b.deviceId)) continue;
      // Never in the future (a device clock ahead of ours must not keep it "online").
      const at = new Date(Math.min(Date.parse(b.at) || nowMs, nowMs)).toISOString();
      const prev = latest.get(b.deviceId);
      if (!prev || prev.at < at) latest.set(b.deviceId, { at, ...(b.agentVersion ? { agentVersion: b.agentVersion } : {}) });
    }
    await c.query(
      `UPDATE agent_credentials k SET last_seen_at = greatest(coalesce(k.last_seen_at, b.at), b.at)
       FROM jsonb_to_recordset($1::jsonb) AS b(device_id text, at timestamptz) WHERE k.device_id = b.device_id`,
      [JSON.stringify([...latest].map(([device_id, b]) => ({ device_id, at: b.at })))],
    );
    const due = await c.query<{ id: string }>(
      `SELECT id FROM documents WHERE collection = 'devices' AND org_id = $1 AND id = ANY($2::text[]) AND NOT deleted
         AND (NOT (data ? 'lastSeenAt') OR (data->>'lastSeenAt')::timestamptz < now() - make_interval(secs => $3))`,
      [bridge.orgId, [...latest.keys()], LAST_SEEN_WRITE_SECONDS],
    );
    const versioned = [...latest].filter(([, b]) => b.agentVersion).map(([id]) => id);
    const ids = [...new Set([...due.rows.map((r) => r.id), ...versioned])];
    if (ids.length === 0) return latest.size;
    const docs = await listDocs(c, 'devices', bridge.orgId, {}, { lock: true, ids });
    const groups = await loadGroups(c, bridge.orgId);
    const writes = [];
    for (const d of docs) {
      const b = latest.get(d.id)!;
      const seen = Date.parse(String(d.data.lastSeenAt ?? '')) || 0;
      const versionChanged = !!b.agentVersion && b.agentVersion !== d.data.agentVersion;
      if (Date.parse(b.at) - seen < LAST_SEEN_WRITE_SECONDS * 1000 && !versionChanged) continue;
      const next: Record<string, unknown> = {
        ...d.data,
        lastSeenAt: b.at,
        ...(b.agentVersion ? { agentVersion: b.agentVersion } : {}),
      };
      next.groupIds = computeMemberships(subjectOf({ ...d, data: next }), groups, nowMs);
      writes.push({ id: d.id, orgId: d.orgId, previous: d.data, next });
    }
    await saveDocs(c, 'devices', writes);
    return latest.size;
  });
}

/** Applies an inventory delta; `needFull` asks the agent for everything (its base is not ours). */
export async function applyInventory(
  db: Db,
  bridge: BridgeRef,
  deviceId: string,
  delta: InventoryDelta,
): Promise<{ needFull: boolean; hash: string | null; changes: number }> {
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    if (!(await ownedDeviceIds(c, bridge, [deviceId])).has(deviceId))
      throw new AppError(ErrorCode.NOT_FOUND, `no enrolled agent ${deviceId} on this bridge`);
    const doc = await getDoc(c, 'devices', deviceId, true);
    if (!doc || doc.deleted) throw new AppError(ErrorCode.NOT_FOUND, `no device ${deviceId}`);
    const before = (doc.data.inventory as Inventory | undefined) ?? null;
    const after = applyInventoryDelta(before, delta);
    if (!after) return { needFull: true, hash: (doc.data.inventoryHash as string | undefined) ?? null, changes: 0 };
    if (delta.hash === doc.data.inventoryHash) return { needFull: false, hash: delta.hash, changes: 0 };
    const changes = inventoryChanges(before, after);
    const now = new Date().toISOString();
    const next: Record<string, unknown> = {
      ...doc.data,
      inventory: after,
      inventoryHash: delta.hash,
      inventoryAt: now,
      lastSeenAt: now,
    };
    const groups = await loadGroups(c, bridge.orgId);
    next.groupIds = computeMemberships(subjectOf({ ...doc, data: next }), groups, Date.now());
    await saveDocs(c, 'devices', [{ id: deviceId, orgId: bridge.orgId, previous: doc.data, next }]);
    if (changes.length > 0) {
      await c.query('INSERT INTO device_inventory_history (org_id, device_id, inventory_hash, changes) VALUES ($1, $2, $3, $4)', [
        bridge.orgId,
        deviceId,
        delta.hash,
        JSON.stringify(changes),
      ]);
    }
    return { needFull: false, hash: delta.hash, changes: changes.length };
  });
}
