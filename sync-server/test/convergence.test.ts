/**
 * Convergence property (SPEC S-C1..S-C3, S-R1): random edits on three replicas, random
 * offline windows and orders, over the real protocol against the real server. At the end
 * every replica and the database hold the same state, and for every field the write with
 * the latest clock is the one that survived: no acknowledged write is lost.
 * `npm run fuzz` runs it at a larger size (FUZZ_SIZE=large).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableStringify } from '@fleetsync/shared';
import type { Replica } from '@fleetsync/shared/sync';
import { startTestEnv, type TestEnv, type TestUser } from './support/testServer.js';
import { eventually, nodeReplica } from './support/nodeReplica.js';
import { printerDoc } from './support/docs.js';

const LARGE = process.env.FUZZ_SIZE === 'large';
const RUNS = LARGE ? 100 : 10;
const MAX_STEPS = LARGE ? 80 : 25;
const REPLICAS = 3;
const DOCS = 3;
const FIELDS = ['name', 'location', 'progress', 'tags'] as const;

type Step =
  | { kind: 'edit'; replica: number; doc: number; field: (typeof FIELDS)[number]; value: number }
  | { kind: 'offline' | 'online'; replica: number }
  | { kind: 'settle'; replica: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      replica: fc.nat(REPLICAS - 1),
      doc: fc.nat(DOCS - 1),
      field: fc.constantFrom(...FIELDS),
      value: fc.nat(99),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('offline' as const, 'online' as const), replica: fc.nat(REPLICAS - 1) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), replica: fc.nat(REPLICAS - 1) }) },
);

function valueFor(field: (typeof FIELDS)[number], v: number): unknown {
  if (field === 'progress') return v;
  if (field === 'tags') return [`t${v % 7}`];
  return `${field}-${v}`;
}

let env: TestEnv;
let orgId: string;
let users: TestUser[];

beforeAll(async () => {
  env = await startTestEnv();
  orgId = await env.org('Convergence');
  users = [
    await env.user('r0@conv.test', { [orgId]: 'admin' }),
    await env.user('r1@conv.test', { [orgId]: 'manager' }),
    await env.user('r2@conv.test', { [orgId]: 'operator' }),
  ];
});
afterAll(async () => {
  await env.stop();
});

async function snapshot(r: Replica, ids: string[]): Promise<string> {
  const docs = await r.collections.printers!.findByIds(ids).exec();
  return stableStringify(ids.map((id) => pick(docs.get(id)?.toJSON() as Record<string, unknown> | undefined)));
}
const pick = (d: Record<string, unknown> | undefined) => (d ? Object.fromEntries(FIELDS.map((f) => [f, d[f]])) : null);

describe('convergence', () => {
  it(`SPEC S-C1..S-C3: ${REPLICAS} replicas with random edits and offline windows converge (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: MAX_STEPS }), async (steps) => {
        const replicas = await Promise.all(users.map((u) => nodeReplica(env.url, u.token, ['printers'], { dev: false })));
        const online = replicas.map(() => true);
        try {
          const docs = Array.from({ length: DOCS }, (_, i) => printerDoc(orgId, { name: `doc-${i}`, clock: {} }));
          await replicas[0]!.collections.printers!.bulkInsert(docs);
          await replicas[0]!.awaitInSync();
          const ids = docs.map((d) => d.id);
          await eventually(
            async () => {
              for (const r of replicas) if ((await r.collections.printers!.findByIds(ids).exec()).size < DOCS) return false;
              return true;
            },
            15_000,
            'initial docs everywhere',
          );

          // The latest-clocked write of every (doc, field): what must survive.
          const latest = new Map<string, { clock: string; value: unknown }>();
          for (const d of await replicas[0]!.collections.printers!.findByIds(ids).exec()) {
            const json = d[1].toJSON() as { clock: Record<string, string> } & Record<string, unknown>;
            for (const f of FIELDS) if (json.clock[f]) latest.set(`${d[0]}:${f}`, { clock: json.clock[f]!, value: json[f] });
          }

          for (const step of steps) {
            const r = replicas[step.replica]!;
            if (step.kind === 'offline' && online[step.replica]) {
              await r.goOffline();
              online[step.replica] = false;
            } else if (step.kind === 'online' && !online[step.replica]) {
              r.goOnline();
              online[step.replica] = true;
            } else if (step.kind === 'settle' && online[step.replica]) {
              await r.awaitInSync();
            } else if (step.kind === 'edit') {
              const doc = await r.collections.printers!.findOne(ids[step.doc]!).exec();
              if (!doc) continue;
              const value = valueFor(step.field, step.value);
              const after = await doc.incrementalPatch({ [step.field]: value });
              const clock = (after.toJSON() as { clock: Record<string, string> }).clock[step.field]!;
              const key = `${ids[step.doc]}:${step.field}`;
              if ((latest.get(key)?.clock ?? '') < clock) latest.set(key, { clock, value });
            }
          }

          replicas.forEach((r, i) => {
            if (!online[i]) r.goOnline();
          });
          const expected = stableStringify(
            ids.map((id) => Object.fromEntries(FIELDS.map((f) => [f, latest.get(`${id}:${f}`)?.value]))),
          );
          await eventually(
            async () => {
              await Promise.all(replicas.map((r) => r.awaitInSync()));
              const snaps = await Promise.all(replicas.map((r) => snapshot(r, ids)));
              return snaps.every((s) => s === expected);
            },
            30_000,
            'replicas converge to the latest writes',
          );
          const server = await env.db.query<{ id: string; data: Record<string, unknown> }>(
            "SELECT id, data FROM documents WHERE collection = 'printers' AND id = ANY($1)",
            [ids],
          );
          const byId = new Map(server.rows.map((r) => [r.id, r.data]));
          expect(stableStringify(ids.map((id) => pick(byId.get(id))))).toBe(expected);
          for (const r of replicas) expect(r.rejections).toEqual([]);
        } finally {
          await Promise.all(replicas.map((r) => r.close()));
        }
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  });
});
