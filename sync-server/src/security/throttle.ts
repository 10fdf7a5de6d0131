/**
 * Fixed-window attempt counters in PostgreSQL, so every server instance and every session
 * shares them (RFC 4226 §7.3: throttling must hold across sessions).
 */
import { ErrorCode } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Throws RATE_LIMITED (429 with Retry-After) when any key is over its limit. */
export async function assertUnderLimit(db: Db, limits: Limit[]): Promise<void> {
  for (const l of limits) {
    const res = await db.query<{ count: number; retry: number }>(
      `SELECT count, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS retry
       FROM rate_limits WHERE key = $1 AND window_start > now() - make_interval(secs => $2)`,
      [l.key, l.windowSeconds],
    );
    const row = res.rows[0];
    if (row && row.count >= l.max) {
      throw new AppError(ErrorCode.RATE_LIMITED, 'too many attempts; try again later', {
        retryAfterSeconds: Math.max(1, row.retry),
      });
    }
  }
}

/** Counts one attempt against every key. */
export async function hit(db: Db, limits: Limit[]): Promise<void> {
  for (const l of limits) {
    await db.query(
      `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_start > now() - make_interval(secs => $2) THEN rate_limits.count + 1 ELSE 1 END,
         window_start = CASE WHEN rate_limits.window_start > now() - make_interval(secs => $2) THEN rate_limits.window_start ELSE now() END`,
      [l.key, l.windowSeconds],
    );
  }
}

/** Rate limit for an endpoint: counts every call, refuses over the limit. */
export async function consume(db: Db, limits: Limit[]): Promise<void> {
  await assertUnderLimit(db, limits);
  await hit(db, limits);
}
