/**
 * OctoPrint REST (printfarm anchor §3d): polls GET /api/printer and GET /api/job; POST /api/job
 * with {command:'pause', action:'pause'|'resume'} and {command:'cancel'}; heater targets through
 * /api/printer/tool and /api/printer/bed; upload POST /api/files/local (multipart, print=true).
 */
import { AdapterCore, byteLength, toText } from './adapterCore.js';
import type { DeviceAdapter, ExecuteOptions, OctoPrintConfig } from './deviceAdapter.js';
import { httpRequest, multipartBody, type HttpRequest, type HttpResult } from './httpClient.js';
import { outcomeFromHttp } from './httpOutcome.js';
import { octoPrintJobProblems, octoPrintPrinterProblems, octoPrintTelemetry } from './octoPrintStatus.js';
import { PollingConnection, pollFailure, type PollResult } from './pollingConnection.js';
import { commandFailed, isRecord, parsePrinterCommand, type CommandOutcome, type CommandParams } from './sharedDevices.js';

const POLL_TIMEOUT_MS = 5_000;

export class OctoPrintAdapter implements DeviceAdapter {
  readonly protocol = 'octoprint' as const;
  private readonly core: AdapterCore;
  private readonly connection: PollingConnection;
  private printer: Record<string, unknown> | undefined;
  private job: Record<string, unknown> | undefined;

  constructor(private readonly config: OctoPrintConfig) {
    this.core = new AdapterCore(`octoprint ${config.baseUrl}`, config);
    this.connection = new PollingConnection(
      () => this.poll(),
      (reason) => this.core.offline(reason),
      config.pollIntervalMs ?? 1_000,
      config.reconnect,
    );
  }

  get telemetry$() {
    return this.core.telemetry$;
  }
  get telemetry() {
    return this.core.telemetry;
  }
  get stats() {
    return this.core.stats;
  }

  connect(): Promise<void> {
    return this.connection.start();
  }

  async disconnect(): Promise<void> {
    await this.connection.stop();
    this.core.offline();
  }

  /** The adapter's input path: one response body of `/api/printer` or `/api/job`. */
  ingest(channel: 'printer' | 'job', raw: string | Uint8Array): boolean {
    if (!this.core.accept(byteLength(raw), channel)) return false;
    const body = this.core.parseJson(toText(raw), channel);
    if (body === undefined) return false;
    const problems = channel === 'printer' ? octoPrintPrinterProblems(body) : octoPrintJobProblems(body);
    if (problems.length > 0 || !isRecord(body)) {
      this.core.malformed(channel, problems.join('; '));
      return false;
    }
    if (channel === 'printer') this.printer = body;
    else this.job = body;
    if (this.printer) this.core.publish(octoPrintTelemetry({ printer: this.printer, job: this.job, printerDisconnected: false }));
    return true;
  }

  async execute(action: string, params: CommandParams, options: ExecuteOptions): Promise<CommandOutcome> {
    const parsed = parsePrinterCommand(action, params);
    if (!parsed.ok) return commandFailed('rejected', parsed.reason);
    const { command } = parsed;
    if (command.action === 'mark_bed_cleared') return this.core.markBedCleared();
    if (this.core.telemetry.status === 'offline') return commandFailed('offline', 'the printer is not reachable');
    switch (command.action) {
      case 'pause':
      case 'resume':
        return this.post('/api/job', { command: 'pause', action: command.action }, action, options);
      case 'stop':
        return this.post('/api/job', { command: 'cancel' }, action, options);
      case 'start_job':
        return this.post(
          `/api/files/local/${encodeURIComponent(command.params.fileName)}`,
          { command: 'select', print: true },
          action,
          options,
        );
      case 'set_temperature': {
        const { nozzle, bed } = command.params;
        if (nozzle !== undefined) {
          const outcome = await this.post(
            '/api/printer/tool',
            { command: 'target', targets: { tool0: nozzle } },
            action,
            options,
          );
          if (!outcome.ok) return outcome;
        }
        return bed === undefined
          ? { ok: true }
          : this.post('/api/printer/bed', { command: 'target', target: bed }, action, options);
      }
    }
  }

  async uploadAndStart(fileName: string, bytes: Uint8Array, options: ExecuteOptions): Promise<CommandOutcome> {
    const form = multipartBody({ select: 'true', print: 'true' }, { field: 'file', name: fileName, bytes });
    const result = await this.request({
      method: 'POST',
      url: this.url('/api/files/local'),
      headers: { 'content-type': form.contentType },
      body: form.body,
      timeoutMs: options.timeoutMs,
      maxBytes: 64 * 1024,
    });
    await this.connection.pollNow();
    return outcomeFromHttp(result, 'upload');
  }

  private url(path: string): string {
    return new URL(path, this.config.baseUrl).toString();
  }

  private request(request: HttpRequest): Promise<HttpResult> {
    return httpRequest({ ...request, headers: { 'x-api-key': this.config.apiKey, ...request.headers } });
  }

  private async post(path: string, body: object, action: string, options: ExecuteOptions): Promise<CommandOutcome> {
    const result = await this.request({
      method: 'POST',
      url: this.url(path),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: options.timeoutMs,
      maxBytes: 64 * 1024,
    });
    await this.connection.pollNow();
    return outcomeFromHttp(result, action);
  }

  private async poll(): Promise<PollResult> {
    const get = (path: string) =>
      this.request({ method: 'GET', url: this.url(path), timeoutMs: POLL_TIMEOUT_MS, maxBytes: this.core.maxMessageBytes });
    const printer = await get('/api/printer');
    if (printer.kind === 'timeout' || printer.kind === 'network') return { ok: false, reason: pollFailure(printer) };
    if (printer.kind === 'too_large') {
      this.core.accept(printer.bytes, 'printer');
      return { ok: true };
    }
    if (printer.status === 401 || printer.status === 403) return { ok: false, reason: 'OctoPrint refused the API key' };
    if (printer.status === 409) {
      this.core.publish(octoPrintTelemetry({ printerDisconnected: true }));
      return { ok: true };
    }
    if (printer.status !== 200) return { ok: false, reason: `GET /api/printer answered ${printer.status}` };
    const job = await get('/api/job');
    if (job.kind === 'response' && job.status === 200) this.ingest('job', job.body);
    else if (job.kind === 'too_large') this.core.accept(job.bytes, 'job');
    this.ingest('printer', printer.body);
    return { ok: true };
  }
}
