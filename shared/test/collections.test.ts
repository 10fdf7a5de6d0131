import { describe, expect, it } from 'vitest';
import { authorizeWrite, COLLECTIONS, canTransition, jobs, printers } from '../src/collections/index.js';
import { can, ROLE_GRANTS, type Principal } from '../src/capabilities.js';

const principal = (role: keyof typeof ROLE_GRANTS, userId = 'u1'): Principal => ({
  userId: userId as never,
  memberships: { orgA: role },
});
const printer = {
  id: 'p',
  orgId: 'orgA',
  clock: {},
  name: 'MK4',
  model: 'MK4',
  protocol: 'prusalink',
  status: 'idle',
  progress: 0,
  nozzleDiameter: 0.4,
  bedWidthMm: 250,
  bedDepthMm: 210,
  tags: [],
  autoQueue: false,
};

describe('collection definitions', () => {
  it('derive an RxDB schema from the zod shape, one source for both', () => {
    for (const def of Object.values(COLLECTIONS)) {
      expect(def.rxSchema).toMatchObject({ primaryKey: 'id', type: 'object', version: def.schemaVersion });
      const props = Object.keys(def.rxSchema.properties as object);
      expect(props.sort()).toEqual(Object.keys(def.zod.shape).sort());
    }
    expect(Object.keys(COLLECTIONS).length).toBeLessThanOrEqual(10);
  });

  it('validate documents strictly (unknown fields are refused)', () => {
    expect(printers.zod.safeParse(printer).success).toBe(true);
    expect(printers.zod.safeParse({ ...printer, isAdmin: true }).success).toBe(false);
    expect(printers.zod.safeParse({ ...printer, progress: 101 }).success).toBe(false);
  });

  it('SPEC S-P4, S-P6, S-P7: the common write rule checks org, moves and capability', () => {
    expect(
      authorizeWrite(printers, { principal: principal('operator'), previous: undefined, next: printer as never }),
    ).toMatchObject({ ok: false, code: 'ORG_FORBIDDEN' });
    expect(authorizeWrite(printers, { principal: principal('manager'), previous: undefined, next: printer as never })).toEqual({
      ok: true,
    });
    expect(
      authorizeWrite(printers, {
        principal: principal('admin'),
        previous: printer as never,
        next: { ...printer, orgId: 'orgB' } as never,
      }),
    ).toMatchObject({ code: 'ORG_CHANGE_FORBIDDEN' });
    expect(
      authorizeWrite(printers, {
        principal: principal('viewer'),
        previous: printer as never,
        next: { ...printer, name: 'x' } as never,
      }),
    ).toMatchObject({ code: 'WRITE_FORBIDDEN' });
  });

  it('a requester may only touch jobs they created', () => {
    const requester = principal('requester', 'me');
    expect(can(requester, 'jobs.update', { orgId: 'orgA', createdBy: 'me' })).toBe(true);
    expect(can(requester, 'jobs.update', { orgId: 'orgA', createdBy: 'someone-else' })).toBe(false);
    expect(can(requester, 'jobs.create', { orgId: 'orgB' })).toBe(false);
  });

  it('job transitions follow the table', () => {
    expect(canTransition('queued', 'printing')).toBe(true);
    expect(canTransition('done', 'queued')).toBe(false);
    const job = { id: 'j', orgId: 'orgA', clock: {}, name: 'x', status: 'printing', priority: 1, copies: 1 };
    expect(authorizeWrite(jobs, { principal: principal('admin'), previous: undefined, next: job as never })).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });
});
