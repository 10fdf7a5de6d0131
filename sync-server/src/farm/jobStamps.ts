/**
 * Server-owned job fields (SPEC S-P5), stamped in the push pipeline:
 * - at creation: who is charged (`chargedToUserId`, `chargedToOrgId`) and what the job
 *   reserves against quotas (`reservedGrams`, `reservedSeconds`);
 * - when it reaches `done`: its cost (`costCents`, `costDetail`, with the spool charged) and
 *   `completedAt`.
 * A job's model revision and print profile must exist in the job's own org.
 */
import { ErrorCode, JOB_SERVER_OWNED, type Job, type Principal } from '@fleetsync/shared';
import type { PrintFileMetadata } from '@fleetsync/shared/metadata';
import type { DbClient } from '../db/pool.js';
import type { StoredDoc } from '../sync/documentStore.js';
import {
  computeJobCost,
  consumedGrams,
  costSettingsSchema,
  machineSeconds,
  reservationFor,
  type CostSettings,
  type JobUsageFields,
} from './sharedFarm.js';

export const JOB_STAMPED_FIELDS: readonly string[] = JOB_SERVER_OWNED;

/** A pushed job (already parsed by the collection's zod schema) that the stamps write into. */
type JobDraft = Record<string, unknown> & { orgId: string };

export async function revisionMetadata(
  c: DbClient,
  orgId: string,
  modelId: string,
  revision: number,
): Promise<PrintFileMetadata | null> {
  const r = await c.query<{ metadata: PrintFileMetadata }>(
    'SELECT metadata FROM model_revisions WHERE model_id::text = $1 AND revision = $2 AND org_id = $3',
    [modelId, revision, orgId],
  );
  return r.rows[0]?.metadata ?? null;
}

export async function orgCostSettings(c: DbClient, orgId: string): Promise<CostSettings> {
  const r = await c.query<{ settings: Record<string, unknown> }>('SELECT settings FROM orgs WHERE id = $1', [orgId]);
  const parsed = costSettingsSchema.safeParse(r.rows[0]?.settings ?? {});
  return parsed.success ? parsed.data : {};
}

export interface ChargedSpool {
  id: string;
  costPerKg: number;
}

/** The spool a job uses: its own `spoolId`, else its printer's `loadedSpoolId`, else the only spool on that printer. */
export async function resolveJobSpool(c: DbClient, job: JobDraft): Promise<ChargedSpool | null> {
  let spoolId = typeof job.spoolId === 'string' ? job.spoolId : undefined;
  const printerId = typeof job.printerId === 'string' ? job.printerId : undefined;
  if (!spoolId && printerId) {
    const p = await c.query<{ loaded: string | null }>(
      "SELECT data->>'loadedSpoolId' AS loaded FROM documents WHERE collection = 'printers' AND id = $1 AND NOT deleted",
      [printerId],
    );
    spoolId = p.rows[0]?.loaded ?? undefined;
    if (!spoolId) {
      const on = await c.query<{ id: string }>(
        "SELECT id FROM documents WHERE collection = 'spools' AND org_id = $1 AND data->>'printerId' = $2 AND NOT deleted LIMIT 2",
        [job.orgId, printerId],
      );
      if (on.rows.length === 1) spoolId = on.rows[0]!.id;
    }
  }
  if (!spoolId) return null;
  // Only a spool of the job's own org is charged (and later deducted).
  const s = await c.query<{ cost: number | null }>(
    "SELECT (data->>'costPerKg')::float8 AS cost FROM documents WHERE collection = 'spools' AND id = $1 AND org_id = $2 AND NOT deleted",
    [spoolId, job.orgId],
  );
  const row = s.rows[0];
  return row ? { id: spoolId, costPerKg: row.cost ?? 0 } : null;
}

const invalid = (message: string) => ({ code: ErrorCode.DOCUMENT_INVALID, message });

export async function stampJobFields(
  c: DbClient,
  principal: Principal,
  next: JobDraft,
  previous: StoredDoc | undefined,
): Promise<{ code: ErrorCode; message: string } | null> {
  const job = next as unknown as Job; // parsed by jobSchema before this hook runs
  const prev = previous?.data as Partial<Job> | undefined;
  let metadata: PrintFileMetadata | undefined;
  if (job.modelId !== undefined && job.modelRevision !== undefined) {
    const changed = !prev || prev.modelId !== job.modelId || prev.modelRevision !== job.modelRevision;
    const found = await revisionMetadata(c, job.orgId, job.modelId, job.modelRevision);
    if (!found && changed) return invalid(`model ${job.modelId} has no revision ${job.modelRevision} in this organization`);
    metadata = found ?? undefined;
  }
  if (job.profileId !== undefined && (!prev || prev.profileId !== job.profileId)) {
    const p = await c.query('SELECT 1 FROM print_profiles WHERE id::text = $1 AND org_id = $2', [job.profileId, job.orgId]);
    if (p.rows.length === 0) return invalid(`print profile ${job.profileId} does not exist in this organization`);
  }

  if (!previous) {
    const reserved = reservationFor(job, metadata);
    Object.assign(next, {
      chargedToUserId: principal.userId,
      chargedToOrgId: job.orgId,
      reservedGrams: reserved.grams,
      reservedSeconds: reserved.seconds,
    } satisfies Partial<Job>);
    return null;
  }

  if (prev?.status !== 'done' && job.status === 'done') {
    const usage: JobUsageFields = {
      ...job,
      reservedGrams: job.reservedGrams ?? prev?.reservedGrams,
      reservedSeconds: job.reservedSeconds ?? prev?.reservedSeconds,
    };
    const spool = await resolveJobSpool(c, next);
    const cost = computeJobCost({
      grams: consumedGrams(usage),
      seconds: machineSeconds(usage),
      spoolCostPerKg: spool?.costPerKg,
      settings: await orgCostSettings(c, job.orgId),
    });
    Object.assign(next, {
      costCents: cost.totalCents,
      costDetail: {
        grams: cost.grams,
        hours: cost.hours,
        costPerKg: cost.costPerKg,
        filamentCents: cost.filamentCents,
        machineCents: cost.machineCents,
        overheadCents: cost.overheadCents,
        currency: cost.currency,
        ...(spool ? { spoolId: spool.id } : {}),
      },
      completedAt: new Date().toISOString(),
    } satisfies Partial<Job>);
  }
  return null;
}
