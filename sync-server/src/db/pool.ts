import pg from 'pg';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;

// bigint sequence numbers fit in a JS number for any realistic lifetime (2^53 changes).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(databaseUrl: string, max = 10, onIdleError?: (err: Error) => void): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (err) => onIdleError?.(err));
  return pool;
}

export async function withTransaction<T>(db: Db, fn: (c: DbClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
