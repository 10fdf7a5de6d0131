/** A new queued job from the submit form (validated with the shared schema before insert). */
import { FILAMENT_MATERIALS, newId, type Principal } from '@fleetsync/shared';
import { collectionOf, type AppDatabase } from '../../../db/types.js';
import { validateDoc } from '../../form/validateDoc.js';
import type { FieldErrors } from '../../form/fieldErrors.js';
import type { ModelRevision, PrintModel, PrintProfile } from '../api/modelTypes.js';

export interface SubmitValues {
  name: string;
  printerId: string;
  priority: string;
  copies: string;
  material: string;
}

export const PRIORITY_CHOICES = [
  { value: '25', label: 'Low' },
  { value: '50', label: 'Normal' },
  { value: '75', label: 'High' },
  { value: '95', label: 'Urgent' },
];

/** The revision's first filament type when it is one the job schema knows. */
export function materialOf(revision: Pick<ModelRevision, 'metadata'> | undefined): string {
  const type = revision?.metadata?.filamentTypes?.[0]?.toUpperCase();
  return type && (FILAMENT_MATERIALS as readonly string[]).includes(type) ? type : '';
}

export type SubmitResult = { ok: true; name: string } | { ok: false; fields: FieldErrors; form: string | null };

export async function submitJob(
  db: AppDatabase,
  principal: Principal,
  orgId: string,
  v: SubmitValues,
  pinned: { model?: PrintModel | undefined; revision?: ModelRevision | undefined; profile?: PrintProfile | undefined },
): Promise<SubmitResult> {
  const doc: Record<string, unknown> = {
    id: newId(),
    orgId,
    clock: {},
    name: v.name.trim(),
    status: 'queued',
    priority: Number(v.priority),
    copies: v.copies.trim() === '' ? Number.NaN : Number(v.copies),
  };
  if (v.printerId) doc.printerId = v.printerId;
  if (v.material) doc.material = v.material;
  // A pinned revision: the server reserves time and filament from its metadata × copies.
  if (pinned.model && pinned.revision) {
    doc.modelId = pinned.model.id;
    doc.modelRevision = pinned.revision.number;
    doc.fileName = pinned.revision.fileName.slice(0, 255);
  }
  if (pinned.profile) doc.profileId = pinned.profile.id;
  const check = validateDoc('jobs', doc, undefined, principal);
  if (!check.ok) return check;
  await collectionOf(db, 'jobs').insert(doc as never);
  return { ok: true, name: String(doc.name) };
}
