/** Pure device helpers: telemetry limits, lenient number reading, merging reports, Bambu codes, command parameters. */
import { describe, expect, it } from 'vitest';
import { printerSchema } from '../src/collections/printers.js';
import { BAMBU_PRINT_CANCELLED, bambuErrors, formatHmsCode, formatPrintError } from '../src/devices/bambuCodes.js';
import { deepMerge, toInteger, toNumber } from '../src/devices/coerce.js';
import { parsePrinterCommand } from '../src/devices/commandParams.js';
import { sameTelemetry, sanitizeTelemetry } from '../src/devices/telemetry.js';

describe('sanitizeTelemetry', () => {
  it('brings any adapter output inside the printer document limits', () => {
    const out = sanitizeTelemetry({
      status: 'printing',
      progress: 140,
      nozzleTemp: 9_999,
      bedTemp: Number.NaN,
      layer: 3.7,
      totalLayers: -5,
      remainingSeconds: Number.POSITIVE_INFINITY,
      currentJobId: 'j'.repeat(100),
      lastError: 'e'.repeat(1_000),
      errors: Array.from({ length: 30 }, (_, i) => ({ code: `C${i}`.repeat(30), message: 'm'.repeat(400) })),
    });
    expect(out).toMatchObject({ status: 'printing', progress: 100, nozzleTemp: 600, layer: 4, totalLayers: 0 });
    expect(out.bedTemp).toBeUndefined();
    expect(out.remainingSeconds).toBeUndefined();
    expect(out.currentJobId).toHaveLength(64);
    expect(out.errors).toHaveLength(20);
    expect(printerSchema.partial().safeParse(out).success).toBe(true);
  });

  it('turns an unknown status into error and drops empty strings', () => {
    expect(sanitizeTelemetry({ status: 'exploded' as 'idle', currentJobId: '' })).toEqual({ status: 'error' });
  });

  it('compares snapshots without lastSeenAt', () => {
    expect(sameTelemetry({ status: 'idle', lastSeenAt: 'a' }, { status: 'idle', lastSeenAt: 'b' })).toBe(true);
    expect(sameTelemetry({ status: 'idle', progress: 1 }, { status: 'idle' })).toBe(false);
  });
});

describe('lenient device values', () => {
  it('reads numbers sent as strings, and nothing else', () => {
    expect(toNumber('28')).toBe(28);
    expect(toNumber(' 0.4 ')).toBe(0.4);
    expect(toNumber('-70dBm')).toBeUndefined();
    expect(toNumber('')).toBeUndefined();
    expect(toNumber(Number.NaN)).toBeUndefined();
    expect(toNumber({})).toBeUndefined();
    expect(toInteger('41.9')).toBe(41);
  });

  it('merges a delta into the last state: records deep, arrays replaced, prototype keys ignored', () => {
    const base = { a: 1, nested: { x: 1, y: 2 }, list: [1, 2] };
    const merged = deepMerge(
      base,
      JSON.parse('{"nested":{"y":3},"list":[9],"__proto__":{"polluted":true}}') as Record<string, unknown>,
    );
    expect(merged).toEqual({ a: 1, nested: { x: 1, y: 3 }, list: [9] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(base.nested.y).toBe(2);
  });
});

describe('Bambu codes', () => {
  it('formats HMS entries and print errors as the printers and apps show them', () => {
    expect(formatHmsCode(50331904, 65543)).toBe('HMS_0300_0100_0001_0007');
    expect(formatPrintError(BAMBU_PRINT_CANCELLED)).toBe('0300_400C');
  });

  it('lists HMS errors and a non-zero print_error, but not a cancellation', () => {
    expect(bambuErrors({ hms: [{ attr: 50331904, code: '65543' }, { attr: 'x' }], print_error: 0x03008003 })).toEqual([
      { code: 'HMS_0300_0100_0001_0007', message: 'Heatbed temperature is abnormal' },
      { code: '0300_8003', message: 'Spaghetti failure detected; printing paused' },
    ]);
    expect(bambuErrors({ hms: [], print_error: BAMBU_PRINT_CANCELLED })).toEqual([]);
  });
});

describe('printer command parameters', () => {
  it('accepts the documented shapes', () => {
    expect(parsePrinterCommand('pause', {})).toEqual({ ok: true, command: { action: 'pause', params: {} } });
    expect(parsePrinterCommand('set_temperature', { nozzle: 210 })).toMatchObject({ ok: true });
    expect(parsePrinterCommand('start_job', { fileName: 'job-1.gcode' })).toMatchObject({ ok: true });
  });

  it('names what is wrong', () => {
    expect(parsePrinterCommand('explode', {})).toEqual({ ok: false, reason: 'unknown printer action explode' });
    expect(parsePrinterCommand('set_temperature', {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/nozzle, bed or both/),
    });
    expect(parsePrinterCommand('set_temperature', { nozzle: 999 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/nozzle/),
    });
    expect(parsePrinterCommand('pause', { force: true })).toMatchObject({ ok: false });
  });
});
