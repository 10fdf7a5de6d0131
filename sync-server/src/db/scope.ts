/**
 * Runs a transaction with the row-level-security scope set (SET LOCAL semantics: the setting
 * ends with the transaction, so a pooled connection never carries one request's scope into
 * the next).
 */
import { withTransaction, type Db, type DbClient } from './pool.js';

export interface DbScope {
  all: boolean;
  orgIds: readonly string[];
}

export const ALL_ORGS: DbScope = { all: true, orgIds: [] };

export function withScope<T>(db: Db, scope: DbScope, fn: (c: DbClient) => Promise<T>): Promise<T> {
  return withTransaction(db, async (c) => {
    await c.query("SELECT set_config('fleetsync.org_ids', $1, true), set_config('fleetsync.all_orgs', $2, true)", [
      scope.orgIds.join(','),
      scope.all ? 'on' : 'off',
    ]);
    return fn(c);
  });
}
