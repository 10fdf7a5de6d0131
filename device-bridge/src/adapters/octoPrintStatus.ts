/**
 * OctoPrint (`GET /api/printer`, `GET /api/job`) → printer telemetry (printfarm anchor §3d).
 * OctoPrint has no "finished" state: an operational printer whose job reached 100 % is finished.
 */
import { heatersBelowTarget } from './heating.js';
import { jobNameFromFile } from './adapterCore.js';
import { isRecord, pick, toInteger, toNumber, toText, type PrinterStatus, type PrinterTelemetry } from './sharedDevices.js';

export interface OctoPrintView {
  printer?: Record<string, unknown>;
  job?: Record<string, unknown>;
  /** OctoPrint answers /api/printer with 409 while it has no connection to the printer. */
  printerDisconnected: boolean;
}

export function octoPrintPrinterProblems(body: unknown): string[] {
  if (!isRecord(body)) return ['printer is not an object'];
  const problems: string[] = [];
  if (!isRecord(pick(body, 'state', 'flags'))) problems.push('state.flags is missing');
  for (const heater of ['tool0', 'bed']) {
    const value = pick(body, 'temperature', heater);
    if (value !== undefined && !isRecord(value)) problems.push(`temperature.${heater} is not an object`);
    for (const key of ['actual', 'target']) {
      const n = pick(value, key);
      if (n !== undefined && n !== null && toNumber(n) === undefined)
        problems.push(`temperature.${heater}.${key} is not a number`);
    }
  }
  return problems;
}

export function octoPrintJobProblems(body: unknown): string[] {
  if (!isRecord(body)) return ['job is not an object'];
  const completion = pick(body, 'progress', 'completion');
  if (completion !== undefined && completion !== null && toNumber(completion) === undefined) {
    return ['progress.completion is not a number'];
  }
  return [];
}

const flag = (printer: unknown, name: string): boolean => pick(printer, 'state', 'flags', name) === true;

export function octoPrintTelemetry(view: OctoPrintView): PrinterTelemetry {
  if (view.printerDisconnected) return { status: 'offline', lastError: 'OctoPrint is not connected to the printer' };
  const printer = view.printer;
  const completion = toNumber(pick(view.job, 'progress', 'completion'));
  const nozzleTemp = toNumber(pick(printer, 'temperature', 'tool0', 'actual'));
  const bedTemp = toNumber(pick(printer, 'temperature', 'bed', 'actual'));
  let status: PrinterStatus = 'idle';
  if (flag(printer, 'error') || flag(printer, 'closedOrError')) status = 'error';
  else if (flag(printer, 'paused') || flag(printer, 'pausing')) status = 'paused';
  else if (flag(printer, 'printing') || flag(printer, 'cancelling') || flag(printer, 'finishing')) status = 'printing';
  else if (completion !== undefined && completion >= 100) status = 'finished';
  const heaters = [
    { temp: nozzleTemp, target: toNumber(pick(printer, 'temperature', 'tool0', 'target')) },
    { temp: bedTemp, target: toNumber(pick(printer, 'temperature', 'bed', 'target')) },
  ];
  const printTime = toNumber(pick(view.job, 'progress', 'printTime')) ?? 0;
  if (status === 'printing' && printTime === 0 && heatersBelowTarget(heaters)) status = 'heating';
  const out: PrinterTelemetry = { status, nozzleTemp, bedTemp };
  if (status !== 'idle' && status !== 'error') {
    out.progress = completion ?? 0;
    out.remainingSeconds = toInteger(pick(view.job, 'progress', 'printTimeLeft'));
    out.currentJobId = jobNameFromFile(toText(pick(view.job, 'job', 'file', 'name')));
  }
  if (status === 'error') {
    const message =
      toText(pick(printer, 'state', 'error')) ?? toText(pick(printer, 'state', 'text')) ?? 'the printer reports an error';
    out.errors = [{ code: 'OCTOPRINT_ERROR', message }];
    out.lastError = message;
  }
  return out;
}
