/** Seed data and sign-in for the print-farm screens (fleet, printer page, queue). */
import type { Page } from 'playwright-core';
import type { TestEnv, TestUser } from '../../sync-server/test/support/testServer.js';
import { commandDoc, jobDoc, printerDoc } from '../../sync-server/test/support/docs.js';
import { text } from './pages.js';

export interface FarmSeed {
  orgId: string;
  admin: TestUser;
  printers: Record<string, string>;
}

const HOUR = 3600;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Printers with varied live states, a few jobs with history, and one pending command. */
export async function seedFarm(env: TestEnv, email = 'lab.manager@farm.test'): Promise<FarmSeed> {
  const orgId = await env.org('Print Lab');
  const admin = await env.user(email, { [orgId]: 'admin' });
  const printers: Record<string, Record<string, unknown>> = {
    mk4: printerDoc(orgId, {
      name: 'Prusa MK4 #1',
      status: 'printing',
      progress: 62,
      nozzleTemp: 215,
      bedTemp: 60,
      remainingSeconds: 4200,
      layer: 192,
      totalLayers: 310,
      loadedMaterial: 'PETG',
      location: 'Room A, rack 1',
      tags: ['room-a', 'petg'],
      lastSeenAt: ago(0),
    }),
    x1c: printerDoc(orgId, {
      name: 'Bambu X1C Alpha',
      model: 'Bambu Lab X1 Carbon',
      protocol: 'bambu',
      status: 'paused',
      progress: 35,
      nozzleTemp: 180,
      bedTemp: 55,
      remainingSeconds: 7300,
      bedWidthMm: 256,
      bedDepthMm: 256,
      loadedMaterial: 'PLA',
      tags: ['room-a'],
      lastSeenAt: ago(1),
    }),
    voron: printerDoc(orgId, {
      name: 'Voron 2.4 #2',
      model: 'Voron 2.4 350',
      protocol: 'moonraker',
      status: 'error',
      nozzleTemp: 24,
      bedTemp: 23,
      bedWidthMm: 350,
      bedDepthMm: 350,
      tags: ['room-b', 'abs'],
      errors: [{ code: 'MCU_SHUTDOWN', message: "MCU 'mcu' shutdown: Timer too close" }],
      lastSeenAt: ago(3),
    }),
    ender: printerDoc(orgId, {
      name: 'Ender-3 S1',
      model: 'Creality Ender-3 S1',
      protocol: 'octoprint',
      status: 'idle',
      nozzleTemp: 26,
      bedTemp: 25,
      bedWidthMm: 220,
      bedDepthMm: 220,
      tags: ['room-b'],
      lastSeenAt: ago(2),
    }),
    xl: printerDoc(orgId, {
      name: 'Prusa XL',
      model: 'Original Prusa XL',
      status: 'finished',
      progress: 100,
      nozzleTemp: 40,
      bedTemp: 35,
      bedWidthMm: 360,
      bedDepthMm: 360,
      tags: ['room-a'],
      lastSeenAt: ago(0),
    }),
    a1: printerDoc(orgId, {
      name: 'Bambu A1 mini',
      model: 'Bambu Lab A1 mini',
      protocol: 'bambu',
      status: 'offline',
      bedWidthMm: 180,
      bedDepthMm: 180,
      tags: ['front-desk'],
      lastSeenAt: ago(600),
    }),
  };
  for (const p of Object.values(printers)) await post(admin, '/api/printers', p);

  const mk4 = String(printers.mk4!.id);
  const jobs = [
    jobDoc(orgId, { name: 'Gear housing v3', printerId: mk4, status: 'queued', estimatedSeconds: 3 * HOUR }),
    jobDoc(orgId, { name: 'Bracket set', printerId: mk4, status: 'queued', priority: 70, estimatedSeconds: 5400 }),
    jobDoc(orgId, { name: 'Cable clips ×40', status: 'queued', priority: 40, material: 'PLA', estimatedSeconds: 2 * HOUR }),
  ];
  for (const j of jobs) await post(admin, '/api/jobs', j);
  const x1c = String(printers.x1c!.id);
  const xl = String(printers.xl!.id);
  await finishedJob(admin, jobDoc(orgId, { name: 'Phone stand', printerId: xl, material: 'PLA', estimatedSeconds: 2 * HOUR }), {
    status: 'done',
    actualSeconds: 2 * HOUR + 900,
  });
  await finishedJob(admin, jobDoc(orgId, { name: 'Drone arm', printerId: mk4, estimatedSeconds: 4 * HOUR }), {
    status: 'done',
    actualSeconds: 4 * HOUR - 600,
  });
  await finishedJob(admin, jobDoc(orgId, { name: 'Vase, spiral', printerId: x1c, material: 'PLA', estimatedSeconds: HOUR }), {
    status: 'failed',
    actualSeconds: 1200,
    failureReason: 'Spaghetti: first layer lost adhesion',
  });
  const quota = await admin.api(`/api/admin/quotas/${admin.id}`, {
    method: 'PUT',
    body: { orgId, period: 'monthly', maxGrams: 2000, maxHours: 40, maxJobs: 25 },
  });
  if (quota.status >= 300) throw new Error(`setting a quota answered ${quota.status}: ${await quota.text()}`);
  await post(admin, '/api/commands', commandDoc(orgId, mk4, { action: 'set_temperature', params: { nozzle: 220 } }));

  return { orgId, admin, printers: Object.fromEntries(Object.entries(printers).map(([k, p]) => [k, String(p.id)])) };
}

/** A job that was printed: created queued, then printing, then done or failed. */
async function finishedJob(user: TestUser, job: Record<string, unknown>, end: Record<string, unknown>): Promise<void> {
  await post(user, '/api/jobs', job);
  for (const patch of [{ status: 'printing' }, end]) {
    const res = await user.api(`/api/jobs/${String(job.id)}`, { method: 'PATCH', body: patch });
    if (res.status !== 200) throw new Error(`PATCH job answered ${res.status}: ${await res.text()}`);
  }
}

async function post(user: TestUser, path: string, body: Record<string, unknown>): Promise<void> {
  const res = await user.api(path, { body });
  if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

/** Signs in on the sign-in page and waits until the app is online on `hash`. */
export async function signInAt(page: Page, baseUrl: string, email: string, password: string, hash = '#/fleet'): Promise<void> {
  await page.goto(`${baseUrl}/${hash}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await text(page.getByTestId('sync-status'), /Online/, 20_000);
}

/** A small PrusaSlicer-style G-code file: header, moves, and the footer/config block with metadata. */
export const SAMPLE_GCODE = [
  '; generated by PrusaSlicer 2.7.1+linux-x64-GTK3 on 2026-11-20 at 09:12:44 UTC',
  'G90',
  'M83',
  'G28 ; home',
  ...Array.from({ length: 200 }, (_, i) => `G1 X${(i % 50) + 10} Y${Math.floor(i / 50) + 10} E0.05 F1800`),
  '; filament used [mm] = 4123.45',
  '; filament used [g] = 12.34',
  '; total filament used [g] = 12.34',
  '; estimated printing time (normal mode) = 1h 2m 3s',
  '; prusaslicer_config = begin',
  '; bed_shape = 0x0,250x0,250x210,0x210',
  '; filament_type = PETG',
  '; nozzle_diameter = 0.4',
  '; printer_model = MK4',
  '; layer_height = 0.2',
  '; prusaslicer_config = end',
  '',
].join('\n');

/** A model with one uploaded revision, through the API (as another client would). */
export async function seedModel(user: TestUser, baseUrl: string, orgId: string, name: string): Promise<{ id: string }> {
  const created = await user.json<{ id: string }>('/api/models', { body: { orgId, name } });
  if (created.status !== 201) throw new Error(`POST /api/models answered ${created.status}`);
  const res = await fetch(`${baseUrl}/api/models/${created.body.id}/revisions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(`${name}.gcode`),
      'x-changelog': encodeURIComponent('First print-ready version'),
    },
    body: SAMPLE_GCODE,
  });
  if (res.status !== 201) throw new Error(`uploading a revision answered ${res.status}: ${await res.text()}`);
  return { id: created.body.id };
}
