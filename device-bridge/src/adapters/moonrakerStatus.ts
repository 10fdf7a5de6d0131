/**
 * Moonraker printer objects (print_stats, virtual_sdcard, extruder, heater_bed, display_status)
 * → printer telemetry (printfarm anchor §3b). Moonraker reports no remaining time; it is
 * estimated from print_duration and progress, as Mainsail and Fluidd do.
 */
import { heatersBelowTarget } from './heating.js';
import { jobNameFromFile } from './adapterCore.js';
import { isRecord, pick, toInteger, toNumber, toText, type PrinterStatus, type PrinterTelemetry } from './sharedDevices.js';

export const MOONRAKER_OBJECTS = {
  print_stats: null,
  virtual_sdcard: null,
  extruder: ['temperature', 'target'],
  heater_bed: ['temperature', 'target'],
  display_status: null,
} as const;

const STATES: Record<string, PrinterStatus> = {
  standby: 'idle',
  cancelled: 'idle',
  printing: 'printing',
  paused: 'paused',
  complete: 'finished',
  error: 'error',
};

const NUMERIC_FIELDS: [string, string][] = [
  ['extruder', 'temperature'],
  ['extruder', 'target'],
  ['heater_bed', 'temperature'],
  ['heater_bed', 'target'],
  ['virtual_sdcard', 'progress'],
  ['print_stats', 'print_duration'],
];

/** Shape problems of a status object (a full status or a notify_mappedupdate delta). */
export function moonrakerStatusProblems(status: unknown): string[] {
  if (!isRecord(status)) return ['status is not an object'];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(status)) {
    if (name in MOONRAKER_OBJECTS && !isRecord(value)) problems.push(`${name} is not an object`);
  }
  for (const [object, field] of NUMERIC_FIELDS) {
    const value = pick(status, object, field);
    if (value !== undefined && value !== null && toNumber(value) === undefined)
      problems.push(`${object}.${field} is not a number`);
  }
  const state = pick(status, 'print_stats', 'state');
  if (state !== undefined && typeof state !== 'string') problems.push('print_stats.state is not a string');
  return problems;
}

export function moonrakerTelemetry(status: Record<string, unknown>, klippyMessage?: string): PrinterTelemetry {
  const stats = pick(status, 'print_stats');
  const state = String(pick(stats, 'state') ?? 'standby');
  const nozzleTemp = toNumber(pick(status, 'extruder', 'temperature'));
  const bedTemp = toNumber(pick(status, 'heater_bed', 'temperature'));
  const fraction =
    toNumber(pick(status, 'virtual_sdcard', 'progress')) ?? toNumber(pick(status, 'display_status', 'progress')) ?? 0;
  const printDuration = toNumber(pick(stats, 'print_duration')) ?? 0;
  let mapped: PrinterStatus = klippyMessage ? 'error' : (STATES[state] ?? 'idle');
  const heaters = [
    { temp: nozzleTemp, target: toNumber(pick(status, 'extruder', 'target')) },
    { temp: bedTemp, target: toNumber(pick(status, 'heater_bed', 'target')) },
  ];
  if (mapped === 'printing' && printDuration === 0 && heatersBelowTarget(heaters)) mapped = 'heating';
  const out: PrinterTelemetry = { status: mapped, nozzleTemp, bedTemp };
  if (mapped !== 'idle' && mapped !== 'error') {
    out.progress = fraction * 100;
    out.layer = toInteger(pick(stats, 'info', 'current_layer'));
    out.totalLayers = toInteger(pick(stats, 'info', 'total_layer'));
    if (fraction > 0 && printDuration > 0 && mapped !== 'finished') {
      out.remainingSeconds = Math.round(printDuration / fraction - printDuration);
    } else if (mapped === 'finished') out.remainingSeconds = 0;
    out.currentJobId = jobNameFromFile(toText(pick(stats, 'filename')));
  }
  if (mapped === 'error') {
    const message = klippyMessage ?? (toText(pick(stats, 'message')) || 'Klipper reports an error');
    out.errors = [{ code: klippyMessage ? 'KLIPPY_SHUTDOWN' : 'KLIPPER_ERROR', message }];
    out.lastError = message;
  }
  return out;
}
