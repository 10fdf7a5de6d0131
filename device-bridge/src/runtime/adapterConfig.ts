/**
 * How the bridge reaches a printer: from its document (protocol, host, serial) and its
 * credentials from the server, or from a static entry of the bridge's configuration.
 */
import { PRINTER_PROTOCOLS } from '@fleetsync/shared';
import type { AdapterConfig, PrinterProtocol } from '../adapters/deviceAdapter.js';
import type { StaticPrinter } from './config.js';
import type { DeviceCredentials } from './serverLink.js';
import type { KnownPrinter } from './storeRecords.js';

export type ConfigResult = { ok: true; config: AdapterConfig } | { ok: false; reason: string };

const DEFAULT_PORTS: Record<PrinterProtocol, number> = { bambu: 8883, moonraker: 7125, prusalink: 80, octoprint: 80 };

/** `10.0.0.5`, `10.0.0.5:7125` or a full URL → a URL with the protocol's scheme and default port. */
export function deviceUrl(host: string, protocol: PrinterProtocol): URL {
  const scheme = protocol === 'bambu' ? 'mqtts' : 'http';
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `${scheme}://${host}`);
  if (!url.port && protocol !== 'prusalink' && protocol !== 'octoprint') url.port = String(DEFAULT_PORTS[protocol]);
  return url;
}

export function adapterConfigFor(printer: KnownPrinter, credentials: DeviceCredentials | undefined): ConfigResult {
  if (!printer.host) return { ok: false, reason: 'the printer has no host; set it on the printer' };
  let url: URL;
  try {
    url = deviceUrl(printer.host, printer.protocol);
  } catch {
    return { ok: false, reason: `the printer's host "${printer.host}" is not an address` };
  }
  const base = url.toString().replace(/\/$/, '');
  switch (printer.protocol) {
    case 'bambu':
      if (!printer.serial) return { ok: false, reason: 'a Bambu printer needs its serial number' };
      if (!credentials?.accessCode) return { ok: false, reason: 'no access code stored for this printer' };
      return {
        ok: true,
        config: {
          protocol: 'bambu',
          url: base,
          serial: printer.serial,
          accessCode: credentials.accessCode,
          ftps: { host: url.hostname },
        },
      };
    case 'moonraker':
      return {
        ok: true,
        config: { protocol: 'moonraker', baseUrl: base, ...(credentials?.apiKey ? { apiKey: credentials.apiKey } : {}) },
      };
    case 'prusalink':
    case 'octoprint':
      if (!credentials?.apiKey) return { ok: false, reason: 'no API key stored for this printer' };
      return { ok: true, config: { protocol: printer.protocol, baseUrl: base, apiKey: credentials.apiKey } };
  }
}

/**
 * Static entries for these printers: an entry naming a printer id is that printer's; an entry
 * without one goes to the first printer (by id) of its protocol that has no entry yet.
 */
export function matchStaticPrinters(printers: KnownPrinter[], entries: StaticPrinter[]): Map<string, AdapterConfig> {
  const out = new Map<string, AdapterConfig>();
  const sorted = [...printers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const e of entries) if (e.printerId && sorted.some((p) => p.id === e.printerId)) out.set(e.printerId, e.adapter);
  const free = entries.filter((e) => !e.printerId);
  for (const p of sorted) {
    if (out.has(p.id)) continue;
    const i = free.findIndex((e) => e.adapter.protocol === p.protocol);
    if (i < 0) continue;
    out.set(p.id, free[i]!.adapter);
    free.splice(i, 1);
  }
  return out;
}

/** Parse static printers from JSON (the DEMO_PRINTERS variable); throws with a readable message. */
export function parseStaticPrinters(json: string): StaticPrinter[] {
  const list: unknown = JSON.parse(json);
  if (!Array.isArray(list)) throw new Error('expected a JSON array of { printerId?, adapter: { protocol, ... } }');
  return list.map((item, i) => {
    const where = `printer ${i}`;
    if (typeof item !== 'object' || item === null) throw new Error(`${where}: not an object`);
    const { printerId, adapter } = item as { printerId?: unknown; adapter?: unknown };
    if (printerId !== undefined && typeof printerId !== 'string') throw new Error(`${where}: printerId must be a string`);
    if (typeof adapter !== 'object' || adapter === null) throw new Error(`${where}: adapter is missing`);
    const a = adapter as Record<string, unknown>;
    if (!(PRINTER_PROTOCOLS as readonly unknown[]).includes(a.protocol))
      throw new Error(`${where}: unknown protocol ${String(a.protocol)}`);
    const need =
      a.protocol === 'bambu' ? ['url', 'serial', 'accessCode'] : a.protocol === 'moonraker' ? ['baseUrl'] : ['baseUrl', 'apiKey'];
    for (const key of need) if (typeof a[key] !== 'string') throw new Error(`${where}: ${String(a.protocol)} needs ${key}`);
    return { ...(printerId ? { printerId } : {}), adapter: adapter as AdapterConfig };
  });
}
