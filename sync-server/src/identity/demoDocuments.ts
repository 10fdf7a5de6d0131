import { newId } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { ALL_ORGS, withScope } from '../db/scope.js';
import { allocateSeqs, writeDocs } from '../sync/documentStore.js';

const PRINTERS = [
  { name: 'Bambu X1C #1', model: 'Bambu Lab X1 Carbon', protocol: 'bambu', bed: [256, 256], material: 'PLA' },
  { name: 'Voron 2.4', model: 'Voron 2.4 350', protocol: 'moonraker', bed: [350, 350], material: 'ABS' },
  { name: 'Prusa MK4', model: 'Original Prusa MK4', protocol: 'prusalink', bed: [250, 210], material: 'PETG' },
  { name: 'Ender 3 (OctoPrint)', model: 'Creality Ender-3 V2', protocol: 'octoprint', bed: [220, 220], material: 'PLA' },
] as const;

/** A small realistic farm so the first screen is not empty. */
/** The demo site's device bridge (started by `npm start` with simulated printers). */
export const DEMO_BRIDGE_ID = 'demo-site';

export async function seedDemoDocuments(db: Db, orgId: string, userId: string): Promise<void> {
  const now = new Date().toISOString();
  const clockTs = `${String(Date.now()).padStart(13, '0')}:00000:server`;
  const stamp = (fields: Record<string, unknown> & { id: string }) => ({
    ...fields,
    orgId,
    clock: Object.fromEntries(
      Object.keys(fields)
        .filter((k) => k !== 'id')
        .map((k) => [k, clockTs]),
    ),
    createdBy: userId,
    createdAt: now,
    updatedBy: userId,
    updatedAt: now,
  });
  const printers = PRINTERS.map((p) =>
    stamp({
      id: newId(),
      name: p.name,
      model: p.model,
      protocol: p.protocol,
      status: 'idle',
      progress: 0,
      nozzleDiameter: 0.4,
      bedWidthMm: p.bed[0],
      bedDepthMm: p.bed[1],
      loadedMaterial: p.material,
      tags: ['demo'],
      autoQueue: false,
      bridgeId: DEMO_BRIDGE_ID,
    }),
  );
  const spools = [
    { material: 'PLA', colour: 'Jet black', colourHex: '#111111', brand: 'Prusament', costPerKg: 24.99 },
    { material: 'PETG', colour: 'Orange', colourHex: '#f26b1d', brand: 'Prusament', costPerKg: 29.99 },
    { material: 'ABS', colour: 'White', colourHex: '#f5f5f5', brand: 'eSun', costPerKg: 21.5 },
  ].map((s) => stamp({ id: newId(), ...s, totalGrams: 1000, remainingGrams: 1000 }));
  const jobs = [
    { name: 'Bracket v3', material: 'PETG', filamentGrams: 42, estimatedSeconds: 5400, priority: 50 },
    { name: 'Calibration cube', material: 'PLA', filamentGrams: 8, estimatedSeconds: 1500, priority: 10 },
  ].map((j) => stamp({ id: newId(), ...j, status: 'queued', copies: 1 }));

  await withScope(db, ALL_ORGS, async (c) => {
    for (const [kind, docs] of [
      ['printers', printers],
      ['spools', spools],
      ['jobs', jobs],
    ] as const) {
      const first = await allocateSeqs(c, docs.length);
      await writeDocs(
        c,
        kind,
        docs.map((d, i) => ({ id: d.id, orgId, data: d, deleted: false, seq: first + i })),
      );
    }
  });
}
