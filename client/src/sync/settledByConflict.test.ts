import { describe, expect, it } from 'vitest';
import { settledId } from './settledByConflict.js';

const master = { id: 'a', name: 'X', clock: { name: 't1' }, updatedAt: 'u' };

describe('settledId', () => {
  it('is the id when the resolution is the server state', () => {
    const output = { ...master, _deleted: false, _meta: { lwt: 1 }, _rev: '2-x', _attachments: {} };
    expect(settledId({ input: { realMasterState: { ...master, _deleted: false } }, output })).toBe('a');
  });

  it('is null when the resolution still differs (it will be pushed)', () => {
    const output = { ...master, name: 'Y', _deleted: false, _meta: { lwt: 1 }, _rev: '2-x' };
    expect(settledId({ input: { realMasterState: master }, output })).toBeNull();
  });
});
