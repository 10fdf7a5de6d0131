/** Printer form fields <-> printer document fields. */
import type { Printer } from '@fleetsync/shared';
import { numberText, toNumber, toText, type Changes } from '../form/docData.js';
import type { FormValues } from '../form/useDocForm.js';

export const PROTOCOL_LABELS: Record<Printer['protocol'], string> = {
  bambu: 'Bambu Lab',
  moonraker: 'Moonraker (Klipper)',
  prusalink: 'PrusaLink',
  octoprint: 'OctoPrint',
};

/** A new printer starts idle, with no progress, no tags and auto-queue off. */
export const PRINTER_DEFAULTS: Changes = { status: 'idle', progress: 0, tags: [], autoQueue: false };

export function printerValues(p: Printer | undefined): FormValues {
  return {
    name: p?.name ?? '',
    model: p?.model ?? '',
    protocol: p?.protocol ?? 'moonraker',
    nozzleDiameter: p ? numberText(p.nozzleDiameter) : '0.4',
    bedWidthMm: numberText(p?.bedWidthMm),
    bedDepthMm: numberText(p?.bedDepthMm),
    tags: p?.tags.join(', ') ?? '',
    location: p?.location ?? '',
  };
}

export function printerChanges(v: FormValues): Changes {
  return {
    name: (v.name ?? '').trim(),
    model: (v.model ?? '').trim(),
    protocol: v.protocol,
    nozzleDiameter: toNumber(v.nozzleDiameter ?? ''),
    bedWidthMm: toNumber(v.bedWidthMm ?? ''),
    bedDepthMm: toNumber(v.bedDepthMm ?? ''),
    tags: [
      ...new Set(
        (v.tags ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ],
    location: toText(v.location ?? ''),
  };
}
