/**
 * Checkpoints are server-issued and opaque to clients (SPEC S-R2). Each names the last sequence
 * the replica saw and the read scope it was issued under: when the scope has changed since
 * (a new org, a new share), the next pull starts over so documents that were invisible before
 * arrive too (SPEC S-S6).
 */
import { createHash } from 'node:crypto';
import { ErrorCode, stableStringify, type Checkpoint } from '@fleetsync/shared';
import { AppError } from '../http/errors.js';
import type { ReadScope } from './readScope.js';

export function scopeKey(scope: ReadScope): string {
  return createHash('sha256').update(stableStringify(scope)).digest('base64url').slice(0, 12);
}

export function encodeCheckpoint(seq: number, scope: ReadScope): Checkpoint {
  return { cp: Buffer.from(`v2:${seq}:${scopeKey(scope)}`).toString('base64url') };
}

/** The sequence to continue after, under the current scope. */
export function decodeCheckpoint(cp: Checkpoint | null | undefined, scope: ReadScope): number {
  if (!cp) return 0;
  const raw = Buffer.from(cp.cp, 'base64url').toString();
  const m = /^v2:(\d{1,16}):([A-Za-z0-9_-]{12})$/.exec(raw);
  if (!m) throw new AppError(ErrorCode.BAD_REQUEST, 'the checkpoint was not issued by this server');
  return m[2] === scopeKey(scope) ? Number(m[1]) : 0;
}
