/**
 * Bambu Lab error codes as the printers report them (ha-bambulab models.py, bambulabs_api):
 * HMS entries `{attr, code}` and the numeric `print_error`.
 */
import type { DeviceError } from './telemetry.js';
import { isRecord, toNumber } from './coerce.js';

/** `print_error` when the user (or the bridge) stopped the print: a cancellation, not a fault. */
export const BAMBU_PRINT_CANCELLED = 0x0300400c;

const hex4 = (n: number): string => (n & 0xffff).toString(16).toUpperCase().padStart(4, '0');

/** `HMS_0300_0100_0001_0007` from attr 50331904 and code 65543. */
export function formatHmsCode(attr: number, code: number): string {
  return `HMS_${hex4(attr >>> 16)}_${hex4(attr)}_${hex4(code >>> 16)}_${hex4(code)}`;
}

/** `0300_400C` from 50348044. */
export function formatPrintError(printError: number): string {
  return `${hex4(printError >>> 16)}_${hex4(printError)}`;
}

const KNOWN_MESSAGES: Record<string, string> = {
  HMS_0300_0100_0001_0007: 'Heatbed temperature is abnormal',
  HMS_0300_0300_0001_0001: 'Hotend fan speed is abnormal',
  HMS_0C00_0300_0000_0001: 'Spaghetti defects were detected by the AI print monitor',
  HMS_0700_2000_0002_0001: 'AMS slot filament has run out',
  '0300_400C': 'The task was canceled',
  '0500_4004': 'Printing was paused because the front cover fell off',
  '0300_8003': 'Spaghetti failure detected; printing paused',
};

export function describeBambuCode(code: string): string {
  return KNOWN_MESSAGES[code] ?? `Bambu device error ${code}`;
}

/** Device errors from a merged `print` report: HMS entries plus a non-zero `print_error`. */
export function bambuErrors(print: Record<string, unknown>): DeviceError[] {
  const errors: DeviceError[] = [];
  const hms = print.hms;
  if (Array.isArray(hms)) {
    for (const entry of hms.slice(0, 20)) {
      if (!isRecord(entry)) continue;
      const attr = toNumber(entry.attr);
      const code = toNumber(entry.code);
      if (attr === undefined || code === undefined) continue;
      const formatted = formatHmsCode(attr, code);
      errors.push({ code: formatted, message: describeBambuCode(formatted) });
    }
  }
  const printError = toNumber(print.print_error);
  if (printError !== undefined && printError !== 0 && printError !== BAMBU_PRINT_CANCELLED) {
    const formatted = formatPrintError(printError);
    errors.push({ code: formatted, message: describeBambuCode(formatted) });
  }
  return errors.slice(0, 20);
}
