/** Helpers for the print-farm tests: a data folder per file, raw uploads, job pushes. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type PushResponse, type WireDoc } from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from '../support/testServer.js';
import { call } from '../support/http.js';

export const FIXTURE = (name: string): Buffer =>
  readFileSync(new URL(`../../../shared/test/fixtures/gcode/${name}`, import.meta.url));

export interface FarmEnv extends TestEnv {
  dataDir: string;
}

export async function startFarmEnv(maxUploadBytes = 1024 * 1024): Promise<FarmEnv> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-farm-'));
  const env = await startTestEnv({ dataDir, maxUploadBytes });
  const stop = env.stop.bind(env);
  return Object.assign(env, {
    dataDir,
    async stop() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/** Every file under a folder (relative paths), for "nothing was stored" checks. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

export async function upload(
  baseUrl: string,
  token: string,
  modelId: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/api/models/${modelId}/revisions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      'content-type': 'application/octet-stream',
      ...headers,
    },
    body: new Uint8Array(body), // a copy backed by a plain ArrayBuffer (fetch's BodyInit)
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const push = (env: TestEnv, u: TestUser, collection: string, rows: unknown[]) =>
  call<PushResponse>(env.url, `/api/sync/${collection}/push`, { body: { rows }, token: u.token });

/** The stored document as a replica sees it. */
export async function wire(env: TestEnv, u: TestUser, collection: string, id: string): Promise<WireDoc> {
  const r = await call<WireDoc>(env.url, `/api/${collection}/${id}`, { token: u.token });
  if (r.status !== 200) throw new Error(`GET ${collection}/${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** PATCH through REST (the same push rules as sync). */
export const patch = (env: TestEnv, u: TestUser, collection: string, id: string, body: Record<string, unknown>) =>
  call<WireDoc & { error?: { code: string; message: string } }>(env.url, `/api/${collection}/${id}`, {
    method: 'PATCH',
    body,
    token: u.token,
  });

/** Walks a job through queued -> printing -> done with its final figures. */
export async function finishJob(env: TestEnv, u: TestUser, id: string, finals: Record<string, unknown> = {}): Promise<WireDoc> {
  const printing = await patch(env, u, 'jobs', id, { status: 'printing' });
  if (printing.status !== 200) throw new Error(`printing: ${JSON.stringify(printing.body)}`);
  const done = await patch(env, u, 'jobs', id, { status: 'done', ...finals });
  if (done.status !== 200) throw new Error(`done: ${JSON.stringify(done.body)}`);
  return done.body;
}
