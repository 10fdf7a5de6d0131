/** Realistic documents for tests, valid against the shared schemas unless a test breaks them. */
import { newId } from '@fleetsync/shared';

const TS = () => `${String(Date.now()).padStart(13, '0')}:00000:test`;

export function printerDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { name: TS() },
    name: 'Prusa MK4 #7',
    model: 'Original Prusa MK4',
    protocol: 'prusalink',
    status: 'idle',
    progress: 0,
    nozzleDiameter: 0.4,
    bedWidthMm: 250,
    bedDepthMm: 210,
    tags: ['lab-2'],
    autoQueue: false,
    ...over,
  };
}

export function jobDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { name: TS() },
    name: 'Gear housing',
    status: 'queued',
    priority: 50,
    copies: 1,
    material: 'PETG',
    filamentGrams: 31.5,
    ...over,
  };
}

export function row(doc: Record<string, unknown>, assumed?: Record<string, unknown> | null) {
  return { assumedMasterState: assumed ?? null, newDocumentState: { ...doc, _deleted: false } };
}

export function spoolDoc(orgId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { material: TS() },
    material: 'PLA',
    colour: 'Signal white',
    totalGrams: 1000,
    remainingGrams: 740,
    costPerKg: 22.5,
    ...over,
  };
}

export function commandDoc(orgId: string, printerId: string, over: Record<string, unknown> = {}) {
  return {
    id: newId(),
    orgId,
    clock: { action: TS() },
    targetKind: 'printer',
    targetId: printerId,
    action: 'pause',
    params: {},
    status: 'pending',
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    ...over,
  };
}
