/**
 * Chargeback reports and spend. Costs are the ones the server stamped on finished jobs
 * (`costCents`, `costDetail`), attributed to the submitter and org recorded at creation.
 * `GET /api/reports/chargebacks` needs `billing.read`; exports as CSV or as a PDF rendered in a
 * worker thread. `GET /api/reports/spend` gives this month's spend: your own, and your orgs'
 * where you have `billing.read`.
 */
import { Router } from 'express';
import { z } from 'zod';
import { can, ErrorCode } from '@fleetsync/shared';
import { authOf, requireAuth } from '../auth/middleware.js';
import type { DbClient } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { orgFilter } from './access.js';
import { scoped, type FarmDeps } from './farmDeps.js';
import { runFarmTask } from './farmWorkerClient.js';
import {
  aggregateChargebacks,
  CHARGEBACK_GROUPINGS,
  formatCents,
  monthWindow,
  type ChargeableJob,
  type ChargebackRow,
  type ChargebackTotal,
  type TimeWindow,
} from './sharedFarm.js';

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => new Date(s));
const chargebackQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  orgId: z.string().uuid().optional(),
  groupBy: z.enum(CHARGEBACK_GROUPINGS).default('user'),
  format: z.enum(['json', 'csv', 'pdf']).default('json'),
});

interface NamedRow extends ChargebackRow {
  orgName: string;
  email?: string;
  displayName?: string;
}

async function finishedJobs(
  c: DbClient,
  filter: { all: boolean; orgIds: readonly string[] },
  window: TimeWindow,
  userId?: string,
): Promise<ChargeableJob[]> {
  const r = await c.query<{ org_id: string; data: Record<string, unknown> }>(
    `SELECT org_id, data FROM documents
     WHERE collection = 'jobs' AND NOT deleted AND data->>'status' = 'done'
       AND ($1::boolean OR org_id = ANY($2::uuid[]))
       AND data->>'completedAt' >= $3 AND data->>'completedAt' < $4
       AND ($5::text IS NULL OR data->>'chargedToUserId' = $5)`,
    [filter.all, filter.orgIds, window.from.toISOString(), window.to.toISOString(), userId ?? null],
  );
  return r.rows.map((row) => ({ ...(row.data as Omit<ChargeableJob, 'orgId'>), orgId: row.org_id }));
}

async function named(c: DbClient, rows: ChargebackRow[]): Promise<NamedRow[]> {
  const orgIds = [...new Set(rows.map((r) => r.orgId))];
  const userIds = [...new Set(rows.map((r) => r.userId).filter((u): u is string => !!u && u !== 'unknown'))];
  const orgs = new Map(
    (
      await c.query<{ id: string; name: string }>('SELECT id::text, name FROM orgs WHERE id = ANY($1::uuid[])', [orgIds])
    ).rows.map((o) => [o.id, o.name]),
  );
  const users = new Map(
    (
      await c.query<{ id: string; email: string; display_name: string }>(
        'SELECT id::text, email, display_name FROM users WHERE id = ANY($1::uuid[])',
        [userIds],
      )
    ).rows.map((u) => [u.id, u]),
  );
  return rows.map((r) => {
    const u = r.userId ? users.get(r.userId) : undefined;
    return { ...r, orgName: orgs.get(r.orgId) ?? r.orgId, ...(u ? { email: u.email, displayName: u.display_name } : {}) };
  });
}

function csvCell(v: unknown): string {
  const s = v == null ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s; // neutralise spreadsheet formulas
  return `"${safe.replace(/"/g, '""')}"`;
}

function toCsv(groupBy: 'user' | 'org', rows: NamedRow[], totals: ChargebackTotal[]): string {
  const who = groupBy === 'user' ? ['user_id', 'email', 'display_name'] : [];
  const header = ['org_id', 'org_name', ...who, 'currency', 'jobs', 'grams', 'hours', 'filament', 'machine', 'overhead', 'total'];
  const money = (r: ChargebackTotal) => [
    r.jobs,
    r.grams,
    r.hours,
    formatCents(r.filamentCents),
    formatCents(r.machineCents),
    formatCents(r.overheadCents),
    formatCents(r.costCents),
  ];
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const whoCells = groupBy === 'user' ? [r.userId, r.email, r.displayName] : [];
    lines.push([r.orgId, r.orgName, ...whoCells, r.currency, ...money(r)].map(csvCell).join(','));
  }
  for (const t of totals) lines.push(['TOTAL', '', ...who.map(() => ''), t.currency, ...money(t)].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}~` : s);
const pad = (s: string | number, n: number) => cut(String(s), n).padStart(n);
const padEnd = (s: string, n: number) => cut(s, n).padEnd(n);

function pdfLines(groupBy: 'user' | 'org', window: TimeWindow, rows: NamedRow[], totals: ChargebackTotal[]): string[] {
  const amounts = (r: ChargebackTotal) =>
    [
      pad(r.jobs, 5),
      pad(r.grams.toFixed(2), 10),
      pad(r.hours.toFixed(2), 7),
      pad(formatCents(r.filamentCents), 10),
      pad(formatCents(r.machineCents), 10),
      pad(formatCents(r.overheadCents), 10),
      pad(formatCents(r.costCents), 11),
      r.currency,
    ].join(' ');
  const whoOf = (r: NamedRow) => (groupBy === 'user' ? (r.email ?? r.userId ?? '') : r.orgName);
  const lines = [
    'Fleetsync chargebacks',
    `Period: ${window.from.toISOString()} to ${window.to.toISOString()}`,
    `Grouped by: ${groupBy}`,
    '',
    [
      padEnd(groupBy === 'user' ? 'User' : 'Organization', 30),
      pad('Jobs', 5),
      pad('Grams', 10),
      pad('Hours', 7),
      pad('Filament', 10),
      pad('Machine', 10),
      pad('Overhead', 10),
      pad('Total', 11),
    ].join(' '),
    '-'.repeat(106),
    ...rows.map((r) => `${padEnd(whoOf(r), 30)} ${amounts(r)}`),
    '-'.repeat(106),
    ...totals.map((t) => `${padEnd('TOTAL', 30)} ${amounts(t)}`),
  ];
  return lines;
}

export function createReportsRouter(deps: FarmDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/api/reports/chargebacks', auth, async (req, res) => {
    const q = parseBody(chargebackQuery, req.query);
    const { principal } = authOf(req);
    const filter = orgFilter(principal, 'billing.read', q.orgId);
    if (!filter.all && filter.orgIds.length === 0)
      throw new AppError(ErrorCode.FORBIDDEN, 'chargeback reports need billing.read');
    const month = monthWindow(new Date());
    const window = { from: q.from ?? month.from, to: q.to ?? month.to };
    if (!(window.from < window.to)) throw new AppError(ErrorCode.VALIDATION_FAILED, '`from` must be before `to`');
    const { rows, totals } = await scoped(deps, principal, async (c) => {
      const agg = aggregateChargebacks(await finishedJobs(c, filter, window), q.groupBy);
      return { rows: await named(c, agg.rows), totals: agg.totals };
    });
    const stamp = `${window.from.toISOString().slice(0, 10)}_${window.to.toISOString().slice(0, 10)}`;
    if (q.format === 'csv') {
      res.set('content-type', 'text/csv; charset=utf-8');
      res.set('content-disposition', `attachment; filename="chargebacks_${stamp}.csv"`);
      res.send(toCsv(q.groupBy, rows, totals));
      return;
    }
    if (q.format === 'pdf') {
      const pdf = await runFarmTask({
        kind: 'pdf',
        doc: { title: `Fleetsync chargebacks ${stamp}`, lines: pdfLines(q.groupBy, window, rows, totals) },
      });
      res.set('content-type', 'application/pdf');
      res.set('content-disposition', `attachment; filename="chargebacks_${stamp}.pdf"`);
      res.send(Buffer.from(pdf));
      return;
    }
    res.json({ from: window.from.toISOString(), to: window.to.toISOString(), groupBy: q.groupBy, rows, totals });
  });

  router.get('/api/reports/spend', auth, async (req, res) => {
    const q = parseBody(z.object({ orgId: z.string().uuid().optional() }), req.query);
    const { principal } = authOf(req);
    const member = Object.keys(principal.memberships);
    if (q.orgId && !member.includes(q.orgId) && !can(principal, 'billing.read', { orgId: q.orgId }))
      throw new AppError(ErrorCode.FORBIDDEN, 'you are not a member of this organization');
    const orgIds = q.orgId ? [q.orgId] : member;
    const billable = orgIds.filter((o) => can(principal, 'billing.read', { orgId: o }));
    const window = monthWindow(new Date());
    const out = await scoped(deps, principal, async (c) => {
      const summarize = async (jobs: ChargeableJob[]) =>
        (await named(c, aggregateChargebacks(jobs, 'org').rows)).map((r) => ({
          orgId: r.orgId,
          orgName: r.orgName,
          currency: r.currency,
          jobs: r.jobs,
          grams: r.grams,
          hours: r.hours,
          costCents: r.costCents,
        }));
      return {
        mine: await summarize(await finishedJobs(c, { all: false, orgIds }, window, principal.userId)),
        orgs: billable.length > 0 ? await summarize(await finishedJobs(c, { all: false, orgIds: billable }, window)) : [],
      };
    });
    res.json({ from: window.from.toISOString(), to: window.to.toISOString(), ...out });
  });

  return router;
}
