/**
 * Content-addressed file store on disk: `<dataDir>/blobs/sha256/ab/cdef…`. An upload streams
 * into a temporary file beside the store while it is hashed and counted, and is renamed into
 * place only once it is complete and accepted, so a refused upload leaves nothing behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

const SHA256_RE = /^[0-9a-f]{64}$/;

export function blobPath(dataDir: string, sha256: string): string {
  if (!SHA256_RE.test(sha256)) throw new Error('not a sha256 hex digest');
  return path.join(dataDir, 'blobs', 'sha256', sha256.slice(0, 2), sha256.slice(2));
}

export function uploadTmpDir(dataDir: string): string {
  return path.join(dataDir, 'blobs', 'tmp');
}

export type Received = { ok: true; tmpPath: string; sha256: string; size: number } | { ok: false; reason: 'too-large' };

/**
 * Streams a request body into a temporary file, hashing it as it goes. Past `limit` bytes it
 * stops writing, deletes the partial file and discards the rest of the body (so the client
 * still reads the refusal).
 */
export async function receiveToTmp(req: IncomingMessage, dataDir: string, limit: number): Promise<Received> {
  const dir = uploadTmpDir(dataDir);
  await mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  const out = createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 });
  // A write still in flight when an upload is abandoned fails with ERR_STREAM_DESTROYED: expected, not a crash.
  out.on('error', () => undefined);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const result = await new Promise<'done' | 'too-large'>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          stop();
          req.resume(); // discard the rest
          resolve('too-large');
          return;
        }
        hash.update(chunk);
        if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      };
      const onEnd = () => {
        stop();
        out.end(() => resolve('done'));
      };
      const onError = (err: Error) => {
        stop();
        reject(err);
      };
      const stop = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        out.off('error', onError);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      out.on('error', onError);
    });
    if (result === 'too-large') {
      await discard(out, tmpPath);
      return { ok: false, reason: 'too-large' };
    }
    return { ok: true, tmpPath, sha256: hash.digest('hex'), size };
  } catch (err) {
    await discard(out, tmpPath);
    throw err;
  }
}

async function discard(out: ReturnType<typeof createWriteStream>, tmpPath: string): Promise<void> {
  await new Promise<void>((resolve) => {
    if (out.closed) resolve();
    else {
      out.once('close', () => resolve());
      out.destroy();
    }
  });
  await rm(tmpPath, { force: true });
}

/** Moves a received file into the store under its digest (an identical file already there wins). */
export async function commitBlob(dataDir: string, tmpPath: string, sha256: string): Promise<string> {
  const target = blobPath(dataDir, sha256);
  await mkdir(path.dirname(target), { recursive: true });
  const exists = await access(target).then(
    () => true,
    () => false,
  );
  if (exists) await rm(tmpPath, { force: true });
  else await rename(tmpPath, target);
  return target;
}

export async function removeTmp(tmpPath: string): Promise<void> {
  await rm(tmpPath, { force: true });
}
