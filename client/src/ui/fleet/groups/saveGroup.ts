/** Creates or updates a device group in the local store (validated like the server does). */
import { newId, type DeviceGroup, type Principal } from '@fleetsync/shared';
import { collectionOf, type AppDatabase } from '../../../db/types.js';
import { validateDoc } from '../../form/validateDoc.js';
import type { RuleNode } from '../sharedFleet.js';

export interface GroupValues {
  kind: 'static' | 'dynamic';
  name: string;
  description: string;
  rule: RuleNode;
  deviceIds: string[];
}

export type SaveResult = { ok: true; id: string } | { ok: false; message: string };

export async function saveGroup(
  db: AppDatabase,
  principal: Principal,
  orgId: string,
  v: GroupValues,
  previous: DeviceGroup | undefined,
): Promise<SaveResult> {
  const doc: Record<string, unknown> = {
    ...(previous ?? { id: newId(), orgId, clock: {} }),
    kind: v.kind,
    name: v.name.trim(),
  };
  if (v.description.trim()) doc.description = v.description.trim();
  else delete doc.description;
  if (v.kind === 'dynamic') {
    doc.rule = v.rule;
    delete doc.deviceIds;
  } else {
    doc.deviceIds = v.deviceIds;
    delete doc.rule;
  }
  const check = validateDoc('deviceGroups', doc, previous as Record<string, unknown> | undefined, principal);
  if (!check.ok) {
    const fields = Object.entries(check.fields).map(([k, m]) => `${k}: ${String(m)}`);
    return { ok: false, message: [check.form, ...fields].filter(Boolean).join(' ') };
  }
  const coll = collectionOf(db, 'deviceGroups');
  if (previous) {
    const current = await coll.findOne(previous.id).exec();
    if (!current) return { ok: false, message: 'The group no longer exists.' };
    await current.incrementalModify((d) => ({ ...(doc as unknown as DeviceGroup), clock: d.clock }));
  } else {
    await coll.insert(doc as never);
  }
  return { ok: true, id: String(doc.id) };
}
