/**
 * What a device adapter reports about a printer, and what it answers to a command.
 * Pure: shared by the device bridge (which writes printer documents) and anyone reading them.
 */
import type { Printer } from '../collections/printers.js';
import { PRINTER_STATUSES } from '../collections/printers.js';

export type PrinterStatus = (typeof PRINTER_STATUSES)[number];

/** The printer-document fields a device adapter owns. Everything but `status` is optional. */
export const TELEMETRY_FIELDS = [
  'status',
  'progress',
  'nozzleTemp',
  'bedTemp',
  'layer',
  'totalLayers',
  'remainingSeconds',
  'currentJobId',
  'errors',
  'lastError',
  'lastSeenAt',
] as const;

export type TelemetryField = (typeof TELEMETRY_FIELDS)[number];
export type PrinterTelemetry = Partial<Pick<Printer, Exclude<TelemetryField, 'status'>>> & { status: PrinterStatus };
export type DeviceError = NonNullable<Printer['errors']>[number];

export const COMMAND_FAILURE_CODES = ['timeout', 'rejected', 'unsupported', 'offline', 'device_error'] as const;
export type CommandFailureCode = (typeof COMMAND_FAILURE_CODES)[number];

/** The result of running one command on a device: never thrown, always returned. */
export type CommandOutcome = { ok: true } | { ok: false; code: CommandFailureCode; reason: string };

export const commandOk = (): CommandOutcome => ({ ok: true });
export const commandFailed = (code: CommandFailureCode, reason: string): CommandOutcome => ({
  ok: false,
  code,
  reason: truncate(reason, 500),
});

/** Limits of the printer document (collections/printers.ts), applied before a value leaves an adapter. */
const LIMITS = {
  progress: [0, 100],
  nozzleTemp: [-50, 600],
  bedTemp: [-50, 200],
  layer: [0, 100_000],
  totalLayers: [0, 100_000],
  remainingSeconds: [0, 10_000_000],
} as const;
const INTEGER_FIELDS = new Set(['layer', 'totalLayers', 'remainingSeconds']);

function truncate(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

function clampField(field: keyof typeof LIMITS, value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const [min, max] = LIMITS[field];
  const clamped = Math.min(max, Math.max(min, value));
  return INTEGER_FIELDS.has(field) ? Math.round(clamped) : Math.round(clamped * 100) / 100;
}

function isStatus(value: unknown): value is PrinterStatus {
  return typeof value === 'string' && (PRINTER_STATUSES as readonly string[]).includes(value);
}

/**
 * Bring an adapter's view of a printer inside the printer document's limits: numbers clamped
 * and rounded, strings cut to length, at most 20 errors. Unknown status becomes 'error'.
 */
export function sanitizeTelemetry(input: PrinterTelemetry): PrinterTelemetry {
  const out: PrinterTelemetry = { status: isStatus(input.status) ? input.status : 'error' };
  for (const field of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const value = clampField(field, input[field]);
    if (value !== undefined) out[field] = value;
  }
  if (typeof input.currentJobId === 'string' && input.currentJobId.length > 0)
    out.currentJobId = truncate(input.currentJobId, 64);
  if (typeof input.lastError === 'string' && input.lastError.length > 0) out.lastError = truncate(input.lastError, 500);
  if (typeof input.lastSeenAt === 'string') out.lastSeenAt = truncate(input.lastSeenAt, 40);
  if (Array.isArray(input.errors)) {
    out.errors = input.errors
      .slice(0, 20)
      .map((e) => ({ code: truncate(String(e.code), 40), message: truncate(String(e.message), 300) }));
  }
  return out;
}

/** True when two telemetry snapshots carry the same values (lastSeenAt ignored). */
export function sameTelemetry(a: PrinterTelemetry, b: PrinterTelemetry): boolean {
  for (const field of TELEMETRY_FIELDS) {
    if (field === 'lastSeenAt') continue;
    if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) return false;
  }
  return true;
}
