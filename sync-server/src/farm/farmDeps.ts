import type { Principal } from '@fleetsync/shared';
import type { AuthDeps } from '../auth/authenticate.js';
import type { ServerConfig } from '../config.js';
import type { DbClient } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { dbScopeFor } from '../sync/readScope.js';

/** What every print-farm router is built from (injected; nothing global). */
export interface FarmDeps extends AuthDeps {
  config: Pick<ServerConfig, 'dataDir' | 'maxUploadBytes'>;
}

/** A transaction under the principal's row-level scope (their orgs, or all for platform staff). */
export function scoped<T>(deps: AuthDeps, principal: Principal, fn: (c: DbClient) => Promise<T>): Promise<T> {
  return withScope(deps.db, dbScopeFor(principal, 'jobs'), fn);
}
