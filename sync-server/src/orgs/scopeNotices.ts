import type { Db } from '../db/pool.js';
import { CHANGES_CHANNEL } from '../sync/documentStore.js';

/** Tells every instance that a user's (or every member of an org's) rights changed (SPEC S-L4). */
export async function notifyScopeChanged(db: Db, target: { userId?: string; orgId?: string }): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [
    CHANGES_CHANNEL,
    JSON.stringify({ t: 'scope', ...(target.userId ? { u: target.userId } : {}), ...(target.orgId ? { o: target.orgId } : {}) }),
  ]);
}
