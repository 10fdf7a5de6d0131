/** Checkpoints are server-issued and opaque to clients (SPEC S-R2). */
import { ErrorCode, type Checkpoint } from '@fleetsync/shared';
import { AppError } from '../http/errors.js';

export function encodeCheckpoint(seq: number): Checkpoint {
  return { cp: Buffer.from(`v1:${seq}`).toString('base64url') };
}

export function decodeCheckpoint(cp: Checkpoint | null | undefined): number {
  if (!cp) return 0;
  const raw = Buffer.from(cp.cp, 'base64url').toString();
  const m = /^v1:(\d{1,16})$/.exec(raw);
  if (!m) throw new AppError(ErrorCode.BAD_REQUEST, 'the checkpoint was not issued by this server');
  return Number(m[1]);
}
