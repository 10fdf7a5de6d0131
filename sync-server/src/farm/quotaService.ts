/**
 * Quotas: rules per member and per group of members (per org), usage counted from the jobs
 * they created in the current window (computed on every read: periods reset lazily), and the
 * check that refuses a new job over a limit. The check runs inside the push transaction, so
 * it covers REST, sync and offline-created jobs alike.
 */
import { ErrorCode, type Principal, type ResourceKind } from '@fleetsync/shared';
import type { DbClient } from '../db/pool.js';
import type { StoredDoc } from '../sync/documentStore.js';
import {
  addUsage,
  exceededLimits,
  NO_USAGE,
  periodWindow,
  quotaRefusalMessage,
  quotaUsageOf,
  remainingOf,
  type JobUsageFields,
  type QuotaLimits,
  type QuotaMeasure,
  type TimeWindow,
  type Usage,
} from './sharedFarm.js';

export interface QuotaRule {
  scope: 'user' | 'group';
  orgId: string;
  /** The user id (scope user) or the group id. */
  subjectId: string;
  name: string | null;
  memberIds: string[];
  limits: QuotaLimits;
}

export interface QuotaStatus {
  window: { from: string; to: string };
  used: Usage;
  remaining: Record<QuotaMeasure, number | null>;
}

interface RuleRow {
  scope: 'user' | 'group';
  org_id: string;
  subject: string;
  name: string | null;
  members: string[];
  period: QuotaLimits['period'];
  max_grams: string | null;
  max_hours: string | null;
  max_jobs: number | null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

const RULES_SQL = `
  SELECT 'user' AS scope, org_id, user_id::text AS subject, NULL::text AS name, ARRAY[user_id::text] AS members,
         period, max_grams, max_hours, max_jobs
  FROM quota_limits WHERE org_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR user_id = $2)
  UNION ALL
  SELECT 'group', org_id, id::text, name, member_ids::text[], period, max_grams, max_hours, max_jobs
  FROM quota_groups WHERE org_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR $2 = ANY(member_ids))
  ORDER BY 1 DESC, 3`;

function ruleOf(r: RuleRow): QuotaRule {
  return {
    scope: r.scope,
    orgId: r.org_id,
    subjectId: r.subject,
    name: r.name,
    memberIds: r.members,
    limits: { period: r.period, maxGrams: num(r.max_grams), maxHours: num(r.max_hours), maxJobs: r.max_jobs },
  };
}

/** The rules that apply to a user in some orgs (their own, then their groups'); all rules when userId is null. */
export async function quotaRules(c: DbClient, orgIds: readonly string[], userId: string | null): Promise<QuotaRule[]> {
  const r = await c.query<RuleRow>(RULES_SQL, [orgIds, userId]);
  return r.rows.map(ruleOf);
}

/** Usage of some members' jobs in one org whose creation falls in the window. */
export async function usageIn(c: DbClient, orgId: string, memberIds: readonly string[], window: TimeWindow): Promise<Usage> {
  const r = await c.query<{ data: JobUsageFields }>(
    `SELECT data FROM documents
     WHERE collection = 'jobs' AND org_id = $1 AND NOT deleted AND data->>'chargedToUserId' = ANY($2::text[])
       AND data->>'createdAt' >= $3 AND data->>'createdAt' < $4`,
    [orgId, memberIds, window.from.toISOString(), window.to.toISOString()],
  );
  return r.rows.reduce((acc, row) => addUsage(acc, quotaUsageOf(row.data)), NO_USAGE);
}

export async function quotaStatus(c: DbClient, rule: QuotaRule, now: Date): Promise<QuotaStatus> {
  const window = periodWindow(rule.limits.period, now);
  const used = await usageIn(c, rule.orgId, rule.memberIds, window);
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    used: { ...used, hours: Math.round(used.hours * 10_000) / 10_000 },
    remaining: remainingOf(rule.limits, used),
  };
}

/** Reservations made earlier in the same push batch (not yet written). */
export interface QuotaBatch {
  pending: Map<string, Usage>;
}

export function newQuotaBatch(): QuotaBatch {
  return { pending: new Map() };
}

const ruleKey = (rule: QuotaRule): string => `${rule.scope}:${rule.orgId}:${rule.subjectId}`;

export interface QuotaRefusal {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Push hook: a new job (from REST, sync or an offline replica) must fit every quota of its
 * submitter and of their groups, counting what it reserves (its estimates, stamped on it as
 * `reservedGrams` / `reservedSeconds`). Rules are locked per subject for the rest of the
 * transaction, so two concurrent pushes cannot both take the last gram.
 */
export async function checkJobQuota(
  c: DbClient,
  kind: ResourceKind,
  principal: Principal,
  next: Record<string, unknown> & { orgId: string },
  previous: StoredDoc | undefined,
  deleted: boolean,
  batch: QuotaBatch,
): Promise<QuotaRefusal | null> {
  if (kind !== 'jobs' || previous || deleted) return null;
  const rules = await quotaRules(c, [next.orgId], principal.userId);
  if (rules.length === 0) return null;
  for (const rule of rules) {
    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`fleetsync-quota:${ruleKey(rule)}`]);
  }
  const request = quotaUsageOf(next as unknown as JobUsageFields);
  const now = new Date();
  for (const rule of rules) {
    const window = periodWindow(rule.limits.period, now);
    const used = addUsage(await usageIn(c, rule.orgId, rule.memberIds, window), batch.pending.get(ruleKey(rule)) ?? NO_USAGE);
    const exceeded = exceededLimits(rule.limits, used, request);
    if (exceeded.length > 0) {
      const subject = rule.scope === 'user' ? 'your account' : `group "${rule.name ?? rule.subjectId}"`;
      return {
        code: ErrorCode.QUOTA_EXCEEDED,
        message: quotaRefusalMessage(subject, rule.limits.period, exceeded),
        details: {
          scope: rule.scope,
          ...(rule.scope === 'group' ? { groupId: rule.subjectId, groupName: rule.name } : {}),
          period: rule.limits.period,
          window: { from: window.from.toISOString(), to: window.to.toISOString() },
          exceeded,
        },
      };
    }
  }
  for (const rule of rules) batch.pending.set(ruleKey(rule), addUsage(batch.pending.get(ruleKey(rule)) ?? NO_USAGE, request));
  return null;
}
