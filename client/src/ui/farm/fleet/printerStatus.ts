/** Words for printer states (never colour alone) and a one-line summary of a printer. */
import { PRINTER_STATUSES, type Printer } from '@fleetsync/shared';

export type PrinterStatus = (typeof PRINTER_STATUSES)[number];

export const STATUS_TEXT: Record<PrinterStatus, string> = {
  offline: 'Offline',
  idle: 'Idle',
  heating: 'Heating',
  printing: 'Printing',
  paused: 'Paused',
  finished: 'Finished – clear the bed',
  error: 'Error',
};

/** Short form for filters and announcements. */
export const STATUS_SHORT: Record<PrinterStatus, string> = { ...STATUS_TEXT, finished: 'Finished' };

export const STATUS_OPTIONS = PRINTER_STATUSES.map((s) => ({ value: s, label: STATUS_SHORT[s] }));

export const isRunning = (p: Pick<Printer, 'status'>) =>
  p.status === 'printing' || p.status === 'paused' || p.status === 'heating';

export function layerText(p: Pick<Printer, 'layer' | 'totalLayers'>): string | undefined {
  if (p.layer === undefined) return undefined;
  return p.totalLayers ? `layer ${p.layer} of ${p.totalLayers}` : `layer ${p.layer}`;
}

export const printerHref = (id: string) => `#/printers/${encodeURIComponent(id)}`;
