/**
 * A Bambu Lab printer on the LAN (printfarm anchor §3a, simulator checklist): MQTT over TLS with
 * bblp/access code (or a client of an external broker), full report on pushall, deltas otherwise,
 * command replies echoing sequence_id with result/reason, HMS errors and print_error on failure,
 * and an implicit-FTPS server for uploads followed by project_file.
 */
import { createHash, randomInt } from 'node:crypto';
import type { BambuConfig } from '../adapters/deviceAdapter.js';
import { EmbeddedBrokerChannel, ExternalBrokerChannel, type BambuChannel } from './bambuChannels.js';
import { bambuPrintFields, printDelta, stringifyNumbers } from './bambuReports.js';
import { startStoredFile, type DeviceSimulator, type SimulatorOptions } from './deviceSimulator.js';
import { FtpsServer } from './ftpsServer.js';
import { PrintFiles } from './printFiles.js';
import { SimulatedPrinter, type SimResult } from './simulatedPrinter.js';
import { selfSignedCertificate, type TlsMaterial } from './tlsCertificate.js';
import { unzipSync } from 'fflate';

export interface BambuSimulatorOptions extends SimulatorOptions {
  serial?: string;
  accessCode?: string;
  /** Use this broker instead of being one (e.g. `mqtt://127.0.0.1:1883`). */
  externalBrokerUrl?: string;
  /** Port of the FTPS server (0 = any; a real printer uses 990). */
  ftpsPort?: number;
}

export class BambuSimulator implements DeviceSimulator {
  readonly protocol = 'bambu' as const;
  readonly printer: SimulatedPrinter;
  readonly files = new PrintFiles();
  readonly serial: string;
  readonly accessCode: string;
  private readonly options: BambuSimulatorOptions;
  private channel: BambuChannel | undefined;
  private ftps: FtpsServer | undefined;
  private tlsMaterial: TlsMaterial | undefined;
  private lastSent: Record<string, unknown> = {};
  private reportCount = 0;
  private muted = false;
  private running = false;

  constructor(options: BambuSimulatorOptions = {}) {
    this.options = options;
    this.printer = new SimulatedPrinter({ timeScale: options.timeScale });
    this.serial = options.serial ?? `01S00C${randomInt(100_000_000, 999_999_999)}`;
    this.accessCode = options.accessCode ?? String(randomInt(10_000_000, 99_999_999));
    this.printer.on('change', () => void this.sendDelta());
  }

  get port(): number {
    return this.channel ? Number(new URL(this.channel.url).port) : (this.options.port ?? 0);
  }

  adapterConfig(): BambuConfig {
    if (!this.channel || !this.ftps) throw new Error('start the simulator first');
    return {
      protocol: 'bambu',
      url: this.channel.url,
      serial: this.serial,
      accessCode: this.accessCode,
      ftps: { host: '127.0.0.1', port: this.ftps.port },
    };
  }

  async injectRaw(payload: string): Promise<void> {
    await this.channel?.publish(payload);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  async start(): Promise<void> {
    this.tlsMaterial ??= await selfSignedCertificate(this.serial);
    this.channel ??= this.options.externalBrokerUrl
      ? new ExternalBrokerChannel(this.options.externalBrokerUrl, this.serial)
      : new EmbeddedBrokerChannel(this.serial, this.accessCode, this.tlsMaterial, this.options.port ?? 0);
    this.ftps ??= new FtpsServer(this.files, this.accessCode, this.tlsMaterial, this.options.ftpsPort ?? 0);
    await this.channel.open((payload) => void this.handleRequest(payload));
    await this.ftps.start();
    this.running = true;
    this.printer.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.printer.halt();
    await this.ftps?.stop();
    await this.channel?.close();
  }

  private async sendFull(): Promise<void> {
    this.lastSent = bambuPrintFields(this.printer.snapshot());
    await this.report({ ...this.lastSent, command: 'push_status', msg: 0, sequence_id: String(++this.reportCount) });
  }

  private async sendDelta(): Promise<void> {
    if (!this.running) return;
    const current = bambuPrintFields(this.printer.snapshot());
    const delta = printDelta(this.lastSent, current);
    if (Object.keys(delta).length === 0) return;
    this.lastSent = current;
    const count = ++this.reportCount;
    const fields = count % 3 === 0 ? stringifyNumbers(delta) : delta;
    await this.report({ ...fields, command: 'push_status', msg: 1, sequence_id: String(count) });
  }

  private report(print: Record<string, unknown>): Promise<void> {
    return this.channel?.publish(JSON.stringify({ print })) ?? Promise.resolve();
  }

  private async handleRequest(payload: Buffer): Promise<void> {
    if (this.muted) return;
    let request: Record<string, Record<string, unknown>>;
    try {
      request = JSON.parse(payload.toString('utf8')) as typeof request;
    } catch {
      return;
    }
    if (request.pushing?.command === 'pushall') return this.sendFull();
    const info = request.info;
    if (info?.command === 'get_version') {
      const module = [{ name: 'ota', sw_ver: '01.07.00.00', hw_ver: 'OTA', sn: this.serial }];
      return this.channel?.publish(JSON.stringify({ info: { ...info, module, result: 'success' } }));
    }
    const print = request.print;
    if (!print || typeof print.command !== 'string') return;
    const result = this.runPrintCommand(print);
    const answer = result.ok ? { result: 'success' } : { result: 'failed', reason: result.reason };
    await this.channel?.publish(JSON.stringify({ print: { ...print, ...answer } }));
  }

  private runPrintCommand(print: Record<string, unknown>): SimResult {
    switch (print.command) {
      case 'pause':
        return this.printer.pause();
      case 'resume':
        return this.printer.resume();
      case 'stop':
        return this.printer.cancel();
      case 'gcode_line':
        return this.runGcode(String(print.param ?? ''));
      case 'gcode_file':
        return this.startFile(String(print.param ?? '').replace(/^\/sdcard\//, ''));
      case 'project_file':
        return this.startProject(print);
      default:
        return { ok: false, reason: `unsupported command ${String(print.command)}` };
    }
  }

  private runGcode(gcode: string): SimResult {
    for (const line of gcode.split('\n')) {
      const match = /^(M104|M109|M140|M190)\b.*\bS(\d+(?:\.\d+)?)/i.exec(line.trim());
      if (!match) continue;
      const value = Number(match[2]);
      const result = this.printer.setTargets(/^M10[49]$/i.test(match[1] ?? '') ? { nozzle: value } : { bed: value });
      if (!result.ok) return result;
    }
    return { ok: true };
  }

  private startFile(name: string): SimResult {
    if (!this.files.has(name)) return { ok: false, reason: `file ${name} not found on the SD card` };
    return startStoredFile(this.printer, this.files, name);
  }

  /** project_file: the archive must be on the card and, if an md5 is given, match the plate's G-code. */
  private startProject(print: Record<string, unknown>): SimResult {
    const name = String(print.file ?? String(print.url ?? '').replace(/^ftp:\/\/\/?|^file:\/\/\/mnt\/sdcard\/?/, ''));
    const bytes = this.files.get(name);
    if (!bytes) return { ok: false, reason: `file ${name} not found on the SD card` };
    if (typeof print.md5 === 'string') {
      const plate = String(print.param ?? 'Metadata/plate_1.gcode');
      const entry = unzipSync(bytes, { filter: (f) => f.name === plate })[plate];
      const md5 = entry ? createHash('md5').update(entry).digest('hex') : '';
      if (md5.toLowerCase() !== print.md5.toLowerCase()) return { ok: false, reason: `MD5 of ${plate} does not match` };
    }
    return startStoredFile(this.printer, this.files, name);
  }
}
