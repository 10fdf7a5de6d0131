import { describe, expect, it } from 'vitest';
import type { ScopeInfo } from '@fleetsync/shared/sync';
import type { AttentionItem } from '../db/attention.js';
import { attentionOutside } from './dropAttentionOutside.js';

const item = (id: string, collectionName: string, attempted: Record<string, unknown>): AttentionItem => ({
  id: `${collectionName}:${id}`,
  collectionName,
  docId: id,
  code: 'WRITE_FORBIDDEN',
  message: 'no',
  attempted,
  at: '2030-01-01T00:00:00Z',
});
const scope: ScopeInfo = {
  key: 'k',
  memberOrgs: ['keep'],
  collections: {
    printers: { all: false, orgIds: ['keep'], sharedFor: ['keep'], bridgeId: null },
    jobs: { all: false, orgIds: ['keep'], sharedFor: [], bridgeId: null },
  },
};

describe('attention items after a scope change', () => {
  it('selects the refused writes of documents the user may no longer read', () => {
    const items = [
      item('p1', 'printers', { orgId: 'keep' }),
      item('p2', 'printers', { orgId: 'gone' }),
      item('p3', 'printers', { orgId: 'gone', sharedWithOrgs: ['keep'] }),
      item('j1', 'jobs', { orgId: 'gone' }),
      item('x1', 'unknown', { orgId: 'keep' }),
    ];
    expect(attentionOutside(items, scope)).toEqual(['printers:p2', 'jobs:j1', 'unknown:x1']);
  });
});
