/** How the runtime turns a printer document plus credentials, or a static entry, into an adapter configuration. */
import { describe, expect, it } from 'vitest';
import { adapterConfigFor, matchStaticPrinters, parseStaticPrinters } from '../../src/runtime/adapterConfig.js';
import type { KnownPrinter } from '../../src/runtime/storeRecords.js';

const printer = (over: Partial<KnownPrinter>): KnownPrinter => ({ id: 'p1', name: 'P', protocol: 'moonraker', ...over });

describe('adapter configuration', () => {
  it('builds each protocol from host, serial and credentials, with default ports', () => {
    expect(adapterConfigFor(printer({ host: '10.0.0.5' }), undefined)).toEqual({
      ok: true,
      config: { protocol: 'moonraker', baseUrl: 'http://10.0.0.5:7125' },
    });
    expect(adapterConfigFor(printer({ protocol: 'prusalink', host: '10.0.0.6' }), { printerId: 'p1', apiKey: 'k' })).toEqual({
      ok: true,
      config: { protocol: 'prusalink', baseUrl: 'http://10.0.0.6', apiKey: 'k' },
    });
    expect(
      adapterConfigFor(printer({ protocol: 'bambu', host: '10.0.0.7', serial: '01S00C1' }), {
        printerId: 'p1',
        accessCode: '1234',
      }),
    ).toEqual({
      ok: true,
      config: {
        protocol: 'bambu',
        url: 'mqtts://10.0.0.7:8883',
        serial: '01S00C1',
        accessCode: '1234',
        ftps: { host: '10.0.0.7' },
      },
    });
    expect(
      adapterConfigFor(printer({ protocol: 'octoprint', host: 'https://octo.lan:5000' }), { printerId: 'p1', apiKey: 'k' }),
    ).toMatchObject({
      ok: true,
      config: { baseUrl: 'https://octo.lan:5000' },
    });
  });

  it('says why a printer cannot be reached', () => {
    expect(adapterConfigFor(printer({}), undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('no host') });
    expect(adapterConfigFor(printer({ protocol: 'bambu', host: 'h', serial: 's' }), undefined)).toMatchObject({ ok: false });
    expect(adapterConfigFor(printer({ protocol: 'octoprint', host: 'h' }), { printerId: 'p1' })).toMatchObject({ ok: false });
  });

  it('gives static entries to the named printer, else to the first printer of the same protocol', () => {
    const printers = [printer({ id: 'b' }), printer({ id: 'a' }), printer({ id: 'c', protocol: 'bambu' })];
    const named = { printerId: 'b', adapter: { protocol: 'moonraker' as const, baseUrl: 'http://named' } };
    const any = { adapter: { protocol: 'moonraker' as const, baseUrl: 'http://any' } };
    const matched = matchStaticPrinters(printers, [any, named]);
    expect(Object.fromEntries(matched)).toEqual({ b: named.adapter, a: any.adapter });
  });

  it('parses DEMO_PRINTERS and refuses incomplete entries', () => {
    expect(parseStaticPrinters('[{"adapter":{"protocol":"moonraker","baseUrl":"http://127.0.0.1:7125"}}]')).toEqual([
      { adapter: { protocol: 'moonraker', baseUrl: 'http://127.0.0.1:7125' } },
    ]);
    expect(() => parseStaticPrinters('[{"adapter":{"protocol":"bambu","url":"mqtts://x"}}]')).toThrow(/needs serial/);
    expect(() => parseStaticPrinters('{}')).toThrow(/array/);
  });
});
