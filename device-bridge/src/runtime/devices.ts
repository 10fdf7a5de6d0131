/**
 * One adapter per assigned printer, kept in step with the printers the bridge knows and their
 * connection details. Telemetry is passed on only after an adapter's first connection attempt,
 * so a bridge that just started does not report its printers offline before it has tried.
 */
import type { Subscription } from 'rxjs';
import { createAdapter } from '../adapters/createAdapter.js';
import type { AdapterConfig, DeviceAdapter, PrinterProtocol, ReconnectOptions } from '../adapters/deviceAdapter.js';
import type { PrinterTelemetry } from '../adapters/sharedDevices.js';
import { adapterConfigFor, matchStaticPrinters } from './adapterConfig.js';
import type { BridgeLogger, StaticPrinter } from './config.js';
import type { DeviceCredentials } from './serverLink.js';
import type { KnownPrinter } from './storeRecords.js';

interface Device {
  key: string;
  protocol: PrinterProtocol;
  adapter: DeviceAdapter;
  subscription?: Subscription;
  /** True once the first connection attempt is over. */
  tried: boolean;
  online: boolean;
}

export interface CredentialLookup {
  /** False until the server's list (or a cached copy of it) is at hand. */
  known: boolean;
  get(printerId: string): DeviceCredentials | undefined;
}

export interface DevicesOptions {
  logger: BridgeLogger;
  staticPrinters: StaticPrinter[];
  reconnect?: Partial<ReconnectOptions>;
  onTelemetry(printerId: string, telemetry: PrinterTelemetry): void;
  /** A device came online or went offline, or the set of devices changed. */
  onChange(): void;
}

export class Devices {
  private readonly devices = new Map<string, Device>();
  /** Assigned printers the bridge cannot reach, with the reason (no host, no credentials...). */
  readonly problems = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: DevicesOptions) {}

  get(printerId: string): DeviceAdapter | undefined {
    return this.devices.get(printerId)?.adapter;
  }

  online(printerId: string): boolean {
    return this.devices.get(printerId)?.online ?? false;
  }

  /** Whether the first connection attempt to this printer is over. */
  tried(printerId: string): boolean {
    return this.devices.get(printerId)?.tried ?? false;
  }

  list(): { printerId: string; protocol: PrinterProtocol; online: boolean; telemetry: PrinterTelemetry }[] {
    return [...this.devices].map(([printerId, d]) => ({
      printerId,
      protocol: d.protocol,
      online: d.online,
      telemetry: d.adapter.telemetry,
    }));
  }

  /** Build, rebuild or drop adapters so there is one per reachable printer. Calls run one after another. */
  reconcile(printers: KnownPrinter[], credentials: CredentialLookup): Promise<void> {
    const next = this.queue.then(() => this.apply(printers, credentials));
    this.queue = next.catch((error: unknown) => this.opts.logger.warn('device reconcile failed', { error: String(error) }));
    return this.queue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
    await Promise.all([...this.devices.keys()].map((id) => this.drop(id)));
  }

  private async apply(printers: KnownPrinter[], credentials: CredentialLookup): Promise<void> {
    if (this.stopped) return;
    const fromConfig = matchStaticPrinters(printers, this.opts.staticPrinters);
    const wanted = new Map<string, AdapterConfig>();
    this.problems.clear();
    for (const p of printers) {
      const fixed = fromConfig.get(p.id);
      if (fixed) {
        wanted.set(p.id, fixed);
        continue;
      }
      if (!credentials.known) {
        // Connecting without them would fail (or, for a device without auth, be redone at once).
        this.problems.set(p.id, 'waiting for device credentials from the server');
        continue;
      }
      const result = adapterConfigFor(p, credentials.get(p.id));
      if (result.ok) wanted.set(p.id, result.config);
      else this.problems.set(p.id, result.reason);
    }
    let changed = false;
    for (const [id, device] of this.devices) {
      const config = wanted.get(id);
      if (!config || JSON.stringify(config) !== device.key) {
        await this.drop(id);
        changed = true;
      }
    }
    for (const [id, config] of wanted) {
      if (this.devices.has(id)) continue;
      this.add(id, config);
      changed = true;
    }
    if (credentials.known)
      for (const [id, reason] of this.problems) this.opts.logger.warn('printer cannot be reached', { printerId: id, reason });
    if (changed) this.opts.onChange();
  }

  private add(printerId: string, config: AdapterConfig): void {
    const build = this.opts.staticPrinters.find((e) => e.adapter === config)?.adapterFactory ?? createAdapter;
    const adapter = build({
      ...config,
      logger: this.opts.logger,
      reconnect: { ...this.opts.reconnect, ...config.reconnect },
    });
    const device: Device = { key: JSON.stringify(config), protocol: config.protocol, adapter, tried: false, online: false };
    this.devices.set(printerId, device);
    this.opts.logger.info('device added', { printerId, protocol: config.protocol });
    void adapter.connect().then(() => {
      if (this.devices.get(printerId) !== device) return;
      device.tried = true;
      device.subscription = adapter.telemetry$.subscribe((t) => {
        const online = t.status !== 'offline';
        this.opts.onTelemetry(printerId, t);
        if (online !== device.online) {
          device.online = online;
          this.opts.logger.info(online ? 'device online' : 'device offline', {
            printerId,
            ...(t.lastError && !online ? { reason: t.lastError } : {}),
          });
          this.opts.onChange();
        }
      });
    });
  }

  private async drop(printerId: string): Promise<void> {
    const device = this.devices.get(printerId);
    if (!device) return;
    this.devices.delete(printerId);
    device.subscription?.unsubscribe();
    await device.adapter.disconnect();
    this.opts.logger.info('device removed', { printerId });
  }
}
