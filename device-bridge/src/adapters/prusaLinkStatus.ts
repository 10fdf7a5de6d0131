/**
 * PrusaLink v1 (`GET /api/v1/status`, `GET /api/v1/job`) → printer telemetry.
 * States: printer IDLE BUSY PRINTING PAUSED FINISHED STOPPED ERROR ATTENTION READY (printfarm anchor §3c).
 */
import { heatersBelowTarget } from './heating.js';
import { jobNameFromFile } from './adapterCore.js';
import { isRecord, pick, toInteger, toNumber, toText, type PrinterStatus, type PrinterTelemetry } from './sharedDevices.js';

const STATES: Record<string, PrinterStatus> = {
  IDLE: 'idle',
  READY: 'idle',
  BUSY: 'idle',
  STOPPED: 'idle',
  PRINTING: 'printing',
  PAUSED: 'paused',
  ATTENTION: 'paused',
  FINISHED: 'finished',
  ERROR: 'error',
};

export interface PrusaLinkView {
  status: Record<string, unknown>;
  job?: Record<string, unknown>;
}

/** Problems with a status body's shape; empty when usable. */
export function prusaLinkStatusProblems(body: unknown): string[] {
  if (!isRecord(body)) return ['status is not an object'];
  const printer = body.printer;
  if (!isRecord(printer)) return ['status.printer is missing'];
  const problems: string[] = [];
  if (typeof printer.state !== 'string') problems.push('printer.state is not a string');
  for (const key of ['temp_nozzle', 'target_nozzle', 'temp_bed', 'target_bed']) {
    if (printer[key] !== undefined && toNumber(printer[key]) === undefined) problems.push(`printer.${key} is not a number`);
  }
  if (body.job !== undefined && !isRecord(body.job)) problems.push('job is not an object');
  return problems;
}

export function prusaLinkTelemetry(view: PrusaLinkView): PrinterTelemetry {
  const printer = pick(view.status, 'printer');
  const state = String(pick(printer, 'state') ?? '').toUpperCase();
  const nozzleTemp = toNumber(pick(printer, 'temp_nozzle'));
  const bedTemp = toNumber(pick(printer, 'temp_bed'));
  const job = isRecord(view.status.job) ? view.status.job : undefined;
  const progress = toNumber(pick(job, 'progress')) ?? 0;
  let status: PrinterStatus = STATES[state] ?? 'idle';
  const heaters = [
    { temp: nozzleTemp, target: toNumber(pick(printer, 'target_nozzle')) },
    { temp: bedTemp, target: toNumber(pick(printer, 'target_bed')) },
  ];
  if (status === 'printing' && progress === 0 && heatersBelowTarget(heaters)) status = 'heating';
  const out: PrinterTelemetry = { status, nozzleTemp, bedTemp };
  if (job && status !== 'idle') {
    out.progress = progress;
    out.remainingSeconds = toInteger(job.time_remaining);
    const file = pick(view.job, 'file');
    out.currentJobId = jobNameFromFile(toText(pick(file, 'display_name')) ?? toText(pick(file, 'name')));
  }
  if (state === 'ERROR' || state === 'ATTENTION') {
    const message =
      toText(pick(view.job, 'message')) ??
      (state === 'ERROR' ? 'the printer reports an error' : 'the printer needs the operator');
    out.errors = [{ code: `PRUSALINK_${state}`, message }];
    out.lastError = message;
  }
  return out;
}

export function prusaLinkJobId(status: Record<string, unknown>): number | undefined {
  return toInteger(pick(status, 'job', 'id'));
}
