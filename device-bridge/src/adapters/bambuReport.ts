/**
 * Bambu Lab `print` reports (push_status) → printer telemetry (printfarm anchor §3a).
 * Reports are deltas (`msg: 1`) merged into the last full snapshot (`msg: 0`); numbers often
 * arrive as strings; `mc_remaining_time` is in minutes.
 */
import { jobNameFromFile } from './adapterCore.js';
import {
  BAMBU_PRINT_CANCELLED,
  bambuErrors,
  isRecord,
  toInteger,
  toNumber,
  toText,
  type JsonRecord,
  type PrinterStatus,
  type PrinterTelemetry,
} from './sharedDevices.js';

const NUMERIC_FIELDS = [
  'mc_percent',
  'mc_remaining_time',
  'nozzle_temper',
  'nozzle_target_temper',
  'bed_temper',
  'bed_target_temper',
  'layer_num',
  'total_layer_num',
  'stg_cur',
  'print_error',
];
const TEXT_FIELDS = ['gcode_state', 'subtask_name', 'gcode_file', 'command'];

/** `stg_cur` stages in which a running print is still heating (bambulabs_api PrintStatus). */
const HEATING_STAGES = new Set([2, 7]);

const STATES: Record<string, PrinterStatus> = {
  IDLE: 'idle',
  PREPARE: 'heating',
  SLICING: 'heating',
  INIT: 'heating',
  RUNNING: 'printing',
  PAUSE: 'paused',
  FINISH: 'finished',
  FAILED: 'error',
};

/**
 * Split a report into the fields that can be used and the names of those that cannot
 * (a number that is neither a number nor a numeric string, a non-text state, a non-array hms).
 */
export function cleanBambuPrint(print: JsonRecord): { clean: JsonRecord; invalid: string[] } {
  const clean: JsonRecord = {};
  const invalid: string[] = [];
  for (const [key, value] of Object.entries(print)) {
    const bad =
      (NUMERIC_FIELDS.includes(key) && toNumber(value) === undefined) ||
      (TEXT_FIELDS.includes(key) && typeof value !== 'string') ||
      (key === 'hms' && !Array.isArray(value));
    if (bad) invalid.push(key);
    else clean[key] = value;
  }
  return { clean, invalid };
}

export function bambuTelemetry(print: JsonRecord): PrinterTelemetry {
  const state = String(print.gcode_state ?? 'IDLE').toUpperCase();
  const printError = toNumber(print.print_error) ?? 0;
  let status: PrinterStatus = STATES[state] ?? 'idle';
  if (state === 'FAILED' && printError === BAMBU_PRINT_CANCELLED) status = 'idle';
  if (status === 'printing' && HEATING_STAGES.has(toNumber(print.stg_cur) ?? -1)) status = 'heating';
  const errors = bambuErrors(print);
  const out: PrinterTelemetry = {
    status,
    nozzleTemp: toNumber(print.nozzle_temper),
    bedTemp: toNumber(print.bed_temper),
  };
  if (status !== 'idle') {
    out.progress = toNumber(print.mc_percent);
    const minutes = toNumber(print.mc_remaining_time);
    out.remainingSeconds = minutes === undefined ? undefined : Math.round(minutes * 60);
    out.layer = toInteger(print.layer_num);
    out.totalLayers = toInteger(print.total_layer_num);
    out.currentJobId = jobNameFromFile(toText(print.subtask_name) || toText(print.gcode_file));
  }
  if (errors.length > 0) {
    out.errors = errors;
    out.lastError = `${errors[0]?.code}: ${errors[0]?.message}`;
  }
  return out;
}

/** The `print` object of a report, if the message is a record with one. */
export function reportPrint(message: unknown): JsonRecord | undefined {
  return isRecord(message) && isRecord(message.print) ? message.print : undefined;
}
