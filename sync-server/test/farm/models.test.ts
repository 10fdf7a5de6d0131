/** Models with file revisions: content-addressed upload, server-side metadata, downloads, limits, and jobs pinning a revision. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fleetsync/shared';
import type { TestUser } from '../support/testServer.js';
import { call } from '../support/http.js';
import { jobDoc, printerDoc, row, spoolDoc } from '../support/docs.js';
import { FIXTURE, filesUnder, push, startFarmEnv, upload, type FarmEnv } from './farmSupport.js';

let env: FarmEnv;
let org: string;
let other: string;
let admin: TestUser;
let requester: TestUser;
let viewer: TestUser;
let outsider: TestUser;
let bridgeToken: string;
let modelId: string;
const gcode = FIXTURE('cyl15_mk3s_pla.gcode');
const sha = createHash('sha256').update(gcode).digest('hex');

beforeAll(async () => {
  env = await startFarmEnv(1024 * 1024);
  org = await env.org('Model Lab');
  other = await env.org('Other Lab');
  admin = await env.user('admin@models.test', { [org]: 'admin' });
  requester = await env.user('req@models.test', { [org]: 'requester' });
  viewer = await env.user('viewer@models.test', { [org]: 'viewer' });
  outsider = await env.user('admin@other.test', { [other]: 'admin' });
  bridgeToken = (
    await call<{ token: string }>(env.url, '/api/tokens', {
      body: { name: 'site', scopes: ['bridge'], expiresInDays: 30, orgId: org, bridgeId: 'site-1' },
      token: admin.token,
    })
  ).body.token;
  const created = await call<{ id: string; latestRevision: number }>(env.url, '/api/models', {
    body: { orgId: org, name: 'Cylinder 15', description: 'calibration cylinder' },
    token: requester.token,
  });
  expect(created.status).toBe(201);
  expect(created.body.latestRevision).toBe(0);
  modelId = created.body.id;
});
afterAll(async () => {
  await env.stop();
});

const revisionRows = async () => (await env.db.query('SELECT revision FROM model_revisions WHERE model_id = $1', [modelId])).rows;

describe('models and revisions', () => {
  it('stores an uploaded PrusaSlicer file by content and extracts its metadata server-side', async () => {
    const up = await upload(env.url, requester.token, modelId, gcode, {
      'x-file-name': encodeURIComponent('cyl15 mk3s (PLA).gcode'),
      'x-changelog': encodeURIComponent('first slice — 0.15 mm'),
      'x-sha256': sha,
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      modelId,
      orgId: org,
      revision: 1,
      sha256: sha,
      sizeBytes: gcode.length,
      fileName: 'cyl15 mk3s (PLA).gcode',
      fileKind: 'gcode',
      changelog: 'first slice — 0.15 mm',
      metadata: {
        slicer: 'PrusaSlicer',
        printerModel: 'MK3S',
        printableArea: { widthMm: 250, depthMm: 210 },
        nozzleDiameterMm: [0.4],
        filamentTypes: ['PLA'],
        estimatedSeconds: 12 * 60 + 18,
        totalFilamentGrams: 1.65,
      },
    });
    expect(existsSync(path.join(env.dataDir, 'blobs', 'sha256', sha.slice(0, 2), sha.slice(2)))).toBe(true);

    // A second revision without a checksum header; the same bytes are stored once.
    const again = await upload(env.url, requester.token, modelId, gcode, {
      'x-file-name': 'cyl15.gcode',
      'x-changelog': 'same file',
    });
    expect(again.status).toBe(201);
    expect(again.body.revision).toBe(2);
    const list = await call<{ revisions: { revision: number; sha256: string }[] }>(env.url, `/api/models/${modelId}/revisions`, {
      token: viewer.token,
    });
    expect(list.body.revisions.map((r) => [r.revision, r.sha256])).toEqual([
      [1, sha],
      [2, sha],
    ]);
    expect((await filesUnder(path.join(env.dataDir, 'blobs'))).filter((f) => f.startsWith('sha256'))).toHaveLength(1);
    const models = await call<{ models: { id: string; latestRevision: number }[] }>(env.url, `/api/models?orgId=${org}`, {
      token: viewer.token,
    });
    expect(models.body.models).toEqual([expect.objectContaining({ id: modelId, latestRevision: 2 })]);
  });

  it('refuses an oversized upload with 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const before = await revisionRows();
    const big = Buffer.alloc(1024 * 1024 + 1, 0x3b); // one byte over the limit
    const res = await upload(env.url, requester.token, modelId, big, { 'x-file-name': 'big.gcode' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });

    // Without a Content-Length (chunked), the limit is enforced while streaming.
    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 20) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024).fill(0x3b));
      },
    });
    const streamed = await fetch(`${env.url}/api/models/${modelId}/revisions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${requester.token}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        'content-type': 'application/octet-stream',
        'x-file-name': 'big.gcode',
      },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');

    expect(await revisionRows()).toEqual(before);
    expect(await filesUnder(path.join(env.dataDir, 'blobs', 'tmp'))).toEqual([]);
    expect((await filesUnder(path.join(env.dataDir, 'blobs'))).filter((f) => f.startsWith('sha256'))).toHaveLength(1);
  });

  it('refuses a wrong x-sha256, a file that is not a sliced print, and a viewer', async () => {
    const before = await revisionRows();
    const wrong = await upload(env.url, requester.token, modelId, FIXTURE('cube20.gcode'), {
      'x-file-name': 'cube.gcode',
      'x-sha256': sha,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'BAD_REQUEST', details: { expected: sha } } });
    const stl = await upload(env.url, requester.token, modelId, Buffer.from('solid x'), { 'x-file-name': 'part.stl' });
    expect(stl.status).toBe(400);
    const broken3mf = await upload(env.url, requester.token, modelId, Buffer.from('not a zip'), {
      'x-file-name': 'plate.gcode.3mf',
    });
    expect(broken3mf.status).toBe(400);
    const byViewer = await upload(env.url, viewer.token, modelId, gcode, { 'x-file-name': 'cyl.gcode' });
    expect(byViewer.status).toBe(403);
    expect(await revisionRows()).toEqual(before);
    expect(await filesUnder(path.join(env.dataDir, 'blobs', 'tmp'))).toEqual([]);
    expect((await filesUnder(path.join(env.dataDir, 'blobs'))).filter((f) => f.startsWith('sha256'))).toHaveLength(1);
  });

  it('lets the org (including its bridge token) download a revision, and no other org', async () => {
    for (const token of [viewer.token, bridgeToken]) {
      const res = await fetch(`${env.url}/api/models/${modelId}/revisions/1/download`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sha256')).toBe(sha);
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''cyl15%20mk3s%20(PLA).gcode");
      expect(
        createHash('sha256')
          .update(Buffer.from(await res.arrayBuffer()))
          .digest('hex'),
      ).toBe(sha);
    }
    const cross = await call(env.url, `/api/models/${modelId}/revisions/1/download`, { token: outsider.token });
    expect(cross.status).toBe(404);
    expect((await call(env.url, `/api/models/${modelId}/revisions`, { token: outsider.token })).status).toBe(404);
    expect((await call<{ models: unknown[] }>(env.url, '/api/models', { token: outsider.token })).body.models).toEqual([]);
    expect((await call(env.url, `/api/models?orgId=${org}`, { token: outsider.token })).status).toBe(403);
    expect((await call(env.url, `/api/models/${modelId}/revisions/9/download`, { token: viewer.token })).status).toBe(404);
  });

  it('lets jobs pin an existing revision of their own org only', async () => {
    const ok = jobDoc(org, { modelId, modelRevision: 1, filamentGrams: undefined, estimatedSeconds: undefined, copies: 2 });
    const missing = jobDoc(org, { modelId, modelRevision: 7 });
    const halfPinned = jobDoc(org, { modelId });
    const foreign = jobDoc(other, { modelId, modelRevision: 1 });
    const pushed = await push(env, admin, 'jobs', [row(ok), row(missing), row(halfPinned)]);
    expect(pushed.body.rejections.map((r) => [r.id, r.code])).toEqual([
      [missing.id, 'DOCUMENT_INVALID'],
      [halfPinned.id, 'DOCUMENT_INVALID'],
    ]);
    expect((await push(env, outsider, 'jobs', [row(foreign)])).body.rejections.map((r) => r.code)).toEqual(['DOCUMENT_INVALID']);
    // Without its own estimates the job reserves the revision's, times its copies.
    const stored = (await env.db.query("SELECT data FROM documents WHERE collection = 'jobs' AND id = $1", [ok.id])).rows[0]
      ?.data;
    expect(stored).toMatchObject({
      reservedGrams: 3.3,
      reservedSeconds: 2 * 738,
      chargedToUserId: admin.id,
      chargedToOrgId: org,
    });
  });

  it('checks compatibility of a pinned job against printers, and picks the next compatible job for the auto-queue', async () => {
    const spoolPla = spoolDoc(org, { material: 'PLA' });
    const spoolPetg = spoolDoc(org, { material: 'PETG' });
    expect((await push(env, admin, 'spools', [row(spoolPla), row(spoolPetg)])).body.rejections).toEqual([]);
    const mk3s = printerDoc(org, {
      name: 'MK3S #1',
      model: 'Original Prusa MK3S+',
      loadedSpoolId: spoolPla.id,
      bridgeId: 'site-1',
    });
    const mini = printerDoc(org, {
      name: 'MINI',
      model: 'Original Prusa MINI+',
      bedWidthMm: 180,
      bedDepthMm: 180,
      loadedSpoolId: spoolPla.id,
    });
    const wrongSpool = printerDoc(org, { name: 'MK3S #2', model: 'MK3S', loadedSpoolId: spoolPetg.id, bridgeId: 'site-1' });
    expect((await push(env, admin, 'printers', [row(mk3s), row(mini), row(wrongSpool)])).body.rejections).toEqual([]);

    const job = jobDoc(org, { name: 'pinned cylinder', modelId, modelRevision: 1, priority: 90, material: undefined });
    expect((await push(env, requester, 'jobs', [row(job)])).body.rejections).toEqual([]);
    const onMk3s = await call(env.url, `/api/jobs/${job.id}/compatibility?printerId=${mk3s.id}`, { token: viewer.token });
    expect(onMk3s.body).toMatchObject({ ok: true, jobId: job.id, printerId: mk3s.id, requirements: { printerModel: 'MK3S' } });
    const onMini = await call<{ ok: boolean; reasons: { code: string }[] }>(
      env.url,
      `/api/jobs/${job.id}/compatibility?printerId=${mini.id}`,
      {
        token: viewer.token,
      },
    );
    expect(onMini.body.ok).toBe(false);
    expect(onMini.body.reasons.map((r) => r.code)).toEqual(['PRINTER_MODEL_MISMATCH', 'BED_TOO_SMALL']);
    const onPetg = await call<{ reasons: { code: string }[] }>(
      env.url,
      `/api/jobs/${job.id}/compatibility?printerId=${wrongSpool.id}`,
      {
        token: viewer.token,
      },
    );
    expect(onPetg.body.reasons.map((r) => r.code)).toEqual(['FILAMENT_MISMATCH']);
    expect((await call(env.url, `/api/jobs/${job.id}/compatibility`, { token: viewer.token })).status).toBe(400);

    // Auto-queue, asked by the bridge: the highest-priority compatible job; others are listed as skipped.
    const aimedElsewhere = jobDoc(org, { name: 'for MINI only', printerId: mini.id, priority: 100 });
    const petgJob = jobDoc(org, { name: 'PETG part', material: 'PETG', priority: 95 });
    const lowPla = jobDoc(org, { name: 'low PLA', material: 'PLA', priority: 10 });
    expect((await push(env, admin, 'jobs', [row(aimedElsewhere), row(petgJob), row(lowPla)])).body.rejections).toEqual([]);
    const next = await call<{ job: { id: string } | null; skipped: { jobId: string; reasons: { code: string }[] }[] }>(
      env.url,
      `/api/printers/${mk3s.id}/next-job`,
      { token: bridgeToken },
    );
    expect(next.status).toBe(200);
    expect(next.body.job?.id).toBe(job.id);
    expect(next.body.skipped).toEqual([{ jobId: petgJob.id, reasons: [expect.objectContaining({ code: 'FILAMENT_MISMATCH' })] }]);
    const forPetgPrinter = await call<{ job: { id: string } | null }>(env.url, `/api/printers/${wrongSpool.id}/next-job`, {
      token: bridgeToken,
    });
    expect(forPetgPrinter.body.job?.id).toBe(petgJob.id);
    // A bridge sees only its own printers.
    expect((await call(env.url, `/api/printers/${mini.id}/next-job`, { token: bridgeToken })).status).toBe(404);
    expect((await call(env.url, `/api/printers/${mk3s.id}/next-job`, { token: outsider.token })).status).toBe(404);
  });
});

describe('print profiles', () => {
  it('are kept by operators and above, read by members, and checked when a job names one', async () => {
    const body = {
      orgId: org,
      name: '0.15 QUALITY MK3S',
      layerHeightMm: 0.15,
      nozzleDiameterMm: 0.4,
      material: 'PLA',
      printerModel: 'MK3S',
      settings: { infill: '15%', supports: false },
    };
    expect((await call(env.url, '/api/profiles', { body, token: requester.token })).status).toBe(403);
    const created = await call<{ id: string }>(env.url, '/api/profiles', { body, token: admin.token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '0.15 QUALITY MK3S',
      layerHeightMm: 0.15,
      nozzleDiameterMm: 0.4,
      settings: { infill: '15%' },
    });
    const patched = await call(env.url, `/api/profiles/${created.body.id}`, {
      method: 'PATCH',
      body: { layerHeightMm: 0.2 },
      token: admin.token,
    });
    expect(patched.body).toMatchObject({ layerHeightMm: 0.2, material: 'PLA' });
    const list = await call<{ profiles: { id: string }[] }>(env.url, '/api/profiles', { token: viewer.token });
    expect(list.body.profiles.map((p) => p.id)).toEqual([created.body.id]);
    expect((await call(env.url, `/api/profiles/${created.body.id}`, { token: outsider.token })).status).toBe(404);

    const withProfile = jobDoc(org, { profileId: created.body.id });
    const unknownProfile = jobDoc(org, { profileId: '00000000-0000-4000-8000-000000000000' });
    const res = await push(env, admin, 'jobs', [row(withProfile), row(unknownProfile)]);
    expect(res.body.rejections.map((r) => [r.id, r.code])).toEqual([[unknownProfile.id, 'DOCUMENT_INVALID']]);
    expect((await call(env.url, `/api/profiles/${created.body.id}`, { method: 'DELETE', token: admin.token })).status).toBe(204);
  });
});
