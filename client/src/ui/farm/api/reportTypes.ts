/** Quotas, spend, chargebacks and bulk-update answers. */
import { compact, isObject, listOf, num, pick, str, type Json } from './parse.js';

export interface Quota {
  /** Unique per rule and measure, e.g. `user:<org>:<id>:grams`. */
  metric: string;
  label: string;
  used: number;
  /** null: no limit. */
  limit: number | null;
  unit?: string;
}

const MEASURES = [
  { key: 'grams', label: 'Filament', unit: 'g', digits: 0 },
  { key: 'hours', label: 'Print hours', unit: 'h', digits: 1 },
  { key: 'jobs', label: 'Jobs', unit: '', digits: 0 },
] as const;

const PERIOD_TEXT: Record<string, string> = {
  daily: 'today',
  weekly: 'this week',
  monthly: 'this month',
  semester: 'this semester',
};

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * `{quotas: [{scope, userId | groupId + name, period, limits: {grams, hours, jobs}, used: {…}}]}`:
 * one meter per limited measure of each rule ("Filament this month", "Lab group: jobs this week").
 */
export function parseQuotas(body: unknown): Quota[] {
  const out: Quota[] = [];
  listOf(
    body,
    (v) => {
      const limits = isObject(v.limits) ? v.limits : {};
      const used = isObject(v.used) ? v.used : {};
      const period = PERIOD_TEXT[str(v.period) ?? ''] ?? str(v.period) ?? '';
      const who = str(v.scope) === 'group' ? `${str(v.name) ?? 'Group'}: ` : '';
      const id = str(pick(v, 'userId', 'groupId')) ?? '';
      for (const m of MEASURES) {
        const limit = num(limits[m.key]);
        if (limit === undefined) continue;
        const label = `${who}${who ? m.label.toLowerCase() : m.label} ${period}`.trim();
        out.push(
          compact<Quota>({
            metric: `${str(v.scope) ?? 'user'}:${str(v.orgId) ?? ''}:${id}:${m.key}`,
            label,
            used: round(num(used[m.key]) ?? 0, m.digits),
            limit,
            unit: m.unit || undefined,
          }),
        );
      }
      return null;
    },
    'quotas',
  );
  return out;
}

export interface SpendFigure {
  orgId?: string;
  label?: string;
  currency: string;
  costCents: number;
  jobs?: number;
}
export interface Spend {
  period?: string;
  /** What I was charged, per organization and currency. */
  mine: SpendFigure[];
  /** Organizations' totals (only those whose billing I may see). */
  orgs: SpendFigure[];
}

function figure(v: Json): SpendFigure | null {
  const costCents = num(pick(v, 'costCents', 'totalCents', 'amountCents'));
  if (costCents === undefined) return null;
  return compact<SpendFigure>({
    orgId: str(v.orgId),
    label: str(pick(v, 'orgName', 'name', 'label')),
    currency: str(v.currency) ?? 'EUR',
    costCents,
    jobs: num(pick(v, 'jobs', 'jobCount')),
  });
}

export function parseSpend(body: unknown): Spend {
  if (!isObject(body)) throw new Error('the server sent an unexpected spend answer');
  const list = (v: unknown) => (Array.isArray(v) ? listOf(v, figure) : []);
  return compact<Spend>({ period: str(pick(body, 'from', 'period')), mine: list(body.mine), orgs: list(body.orgs) });
}

export interface ChargebackRow {
  key: string;
  label: string;
  /** The organization, when grouped by user. */
  orgName?: string;
  currency: string;
  jobs?: number;
  grams?: number;
  printSeconds?: number;
  costCents: number;
}
export interface Chargebacks {
  rows: ChargebackRow[];
  totals: ChargebackRow[];
}

function parseChargebackRow(v: Json): ChargebackRow | null {
  const key = str(pick(v, 'userId', 'orgId', 'key', 'id')) ?? (v.currency ? 'total' : undefined);
  const costCents = num(pick(v, 'costCents', 'totalCents', 'amountCents'));
  if (!key || costCents === undefined) return null;
  const hours = num(v.hours);
  const userLabel = str(pick(v, 'displayName', 'email'));
  return compact<ChargebackRow>({
    key: `${key}:${str(v.orgId) ?? ''}:${str(v.currency) ?? ''}`,
    label: userLabel ?? str(pick(v, 'orgName', 'label', 'name')) ?? (key === 'unknown' ? 'Unknown user' : key),
    orgName: userLabel ? str(v.orgName) : undefined,
    currency: str(v.currency) ?? 'EUR',
    jobs: num(pick(v, 'jobs', 'jobCount')),
    grams: num(pick(v, 'grams', 'filamentGrams')),
    printSeconds: hours === undefined ? num(v.printSeconds) : hours * 3600,
    costCents,
  });
}

export function parseChargebacks(body: unknown): Chargebacks {
  const totals = isObject(body) && Array.isArray(body.totals) ? listOf(body.totals, parseChargebackRow) : [];
  return { rows: listOf(body, parseChargebackRow, 'chargebacks'), totals };
}

export interface BulkOutcome {
  id: string;
  ok: boolean;
  message?: string;
}

/** `{results: [{id, ok|status, code?, message?}]}`. */
export function parseBulkOutcomes(body: unknown): BulkOutcome[] {
  return listOf(
    body,
    (v) => {
      const id = str(v.id);
      if (!id) return null;
      const status = str(pick(v, 'status', 'outcome'));
      const ok = typeof v.ok === 'boolean' ? v.ok : status === undefined || /^(ok|applied|updated|done|success)/i.test(status);
      const code = str(v.code);
      const message = str(pick(v, 'message', 'reason', 'error'));
      return compact<BulkOutcome>({ id, ok, message: message ?? (ok ? undefined : code) });
    },
    'outcomes',
  );
}
