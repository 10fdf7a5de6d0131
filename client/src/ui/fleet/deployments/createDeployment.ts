/** A new deployment document from the form (validated with the shared schema and rule before insert). */
import { newId, type DeploymentIntent, type Principal } from '@fleetsync/shared';
import { collectionOf, type AppDatabase } from '../../../db/types.js';
import { validateDoc } from '../../form/validateDoc.js';

export interface DeploymentValues {
  name: string;
  packageId: string;
  packageVersion: string;
  intent: DeploymentIntent;
  targetGroupIds: string[];
  targetDeviceIds: string[];
  pilotGroupId: string;
  /** "25, 50, 100" */
  waves: string;
  /** Percent, "20" */
  failurePercent: string;
}

export type CreateResult = { ok: true; id: string } | { ok: false; message: string };

export function parseWaves(text: string): number[] | null {
  const parts = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((p) => Number(p.replace('%', '')));
  if (parts.length === 0 || parts.some((p) => !Number.isInteger(p) || p < 1 || p > 100)) return null;
  if (parts.some((p, i) => i > 0 && p <= parts[i - 1]!) || parts.at(-1) !== 100) return null;
  return parts;
}

export async function createDeployment(
  db: AppDatabase,
  principal: Principal,
  orgId: string,
  v: DeploymentValues,
): Promise<CreateResult> {
  const wavePercents = parseWaves(v.waves);
  if (!wavePercents) return { ok: false, message: 'Waves must be ascending percentages ending at 100, e.g. "25, 50, 100".' };
  const failure = Number(v.failurePercent);
  if (!(failure > 0 && failure <= 100)) return { ok: false, message: 'The failure threshold is a percentage from 1 to 100.' };
  const doc: Record<string, unknown> = {
    id: newId(),
    orgId,
    clock: {},
    name: v.name.trim(),
    packageId: v.packageId,
    packageVersion: v.packageVersion,
    intent: v.intent,
    targetDeviceIds: v.targetDeviceIds,
    targetGroupIds: v.targetGroupIds,
    wavePercents,
    failureThreshold: failure / 100,
    minSample: 1,
    successThreshold: 1,
    maxAttempts: 2,
    retryBackoffSeconds: 60,
    timeoutSeconds: 3600,
  };
  if (v.pilotGroupId) doc.pilotGroupId = v.pilotGroupId;
  const check = validateDoc('deployments', doc, undefined, principal);
  if (!check.ok) {
    const fields = Object.entries(check.fields).map(([k, m]) => `${k}: ${String(m)}`);
    return { ok: false, message: [check.form, ...fields].filter(Boolean).join(' ') };
  }
  await collectionOf(db, 'deployments').insert(doc as never);
  return { ok: true, id: String(doc.id) };
}
