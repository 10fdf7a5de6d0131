/**
 * PrusaLink v1 over HTTP (printfarm anchor §3c): polls /api/v1/status and /api/v1/job, controls
 * the job with PUT /api/v1/job/{id}/pause|resume and DELETE /api/v1/job/{id}, uploads with
 * PUT /api/v1/files/{storage}/{name} and `Print-After-Upload: ?1`. Auth: X-Api-Key.
 */
import { AdapterCore, byteLength, toText } from './adapterCore.js';
import type { DeviceAdapter, ExecuteOptions, PrusaLinkConfig } from './deviceAdapter.js';
import { httpRequest, type HttpRequest, type HttpResult } from './httpClient.js';
import { outcomeFromHttp } from './httpOutcome.js';
import { PollingConnection, pollFailure, type PollResult } from './pollingConnection.js';
import { prusaLinkJobId, prusaLinkStatusProblems, prusaLinkTelemetry } from './prusaLinkStatus.js';
import { commandFailed, isRecord, parsePrinterCommand, type CommandOutcome, type CommandParams } from './sharedDevices.js';

const POLL_TIMEOUT_MS = 5_000;

export class PrusaLinkAdapter implements DeviceAdapter {
  readonly protocol = 'prusalink' as const;
  private readonly core: AdapterCore;
  private readonly connection: PollingConnection;
  private status: Record<string, unknown> | undefined;
  private job: Record<string, unknown> | undefined;

  constructor(private readonly config: PrusaLinkConfig) {
    this.core = new AdapterCore(`prusalink ${config.baseUrl}`, config);
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

  /** The adapter's input path: one response body of `/api/v1/status` or `/api/v1/job`. */
  ingest(channel: 'status' | 'job', raw: string | Uint8Array): boolean {
    if (!this.core.accept(byteLength(raw), channel)) return false;
    const text = toText(raw);
    if (channel === 'job') {
      if (text === '')
        this.job = undefined; // 204: no job
      else {
        const body = this.core.parseJson(text, channel);
        if (body === undefined) return false;
        if (!isRecord(body)) {
          this.core.malformed(channel, 'job is not an object');
          return false;
        }
        this.job = body;
      }
    } else {
      const body = this.core.parseJson(text, channel);
      if (body === undefined) return false;
      const problems = prusaLinkStatusProblems(body);
      if (problems.length > 0 || !isRecord(body)) {
        this.core.malformed(channel, problems.join('; '));
        return false;
      }
      this.status = body;
    }
    if (this.status) this.core.publish(prusaLinkTelemetry({ status: this.status, job: this.job }));
    return true;
  }

  async execute(action: string, params: CommandParams, options: ExecuteOptions): Promise<CommandOutcome> {
    const parsed = parsePrinterCommand(action, params);
    if (!parsed.ok) return commandFailed('rejected', parsed.reason);
    const { command } = parsed;
    if (command.action === 'mark_bed_cleared') return this.core.markBedCleared();
    if (command.action === 'set_temperature') {
      return commandFailed('unsupported', 'PrusaLink v1 has no endpoint for setting heater targets');
    }
    if (this.core.telemetry.status === 'offline') return commandFailed('offline', 'the printer is not reachable');
    if (command.action === 'start_job') {
      return this.command(
        'POST',
        `/api/v1/files/${this.storage}/${encodeURIComponent(command.params.fileName)}`,
        action,
        options,
      );
    }
    const jobId = this.status ? prusaLinkJobId(this.status) : undefined;
    if (jobId === undefined) return commandFailed('rejected', `the printer has no job to ${action} (state ${this.printerState})`);
    if (command.action === 'stop') return this.command('DELETE', `/api/v1/job/${jobId}`, action, options);
    return this.command('PUT', `/api/v1/job/${jobId}/${command.action}`, action, options);
  }

  async uploadAndStart(fileName: string, bytes: Uint8Array, options: ExecuteOptions): Promise<CommandOutcome> {
    const result = await this.request({
      method: 'PUT',
      url: this.url(`/api/v1/files/${this.storage}/${encodeURIComponent(fileName)}`),
      headers: { 'content-type': 'application/octet-stream', 'print-after-upload': '?1', overwrite: '?1' },
      body: bytes,
      timeoutMs: options.timeoutMs,
      maxBytes: 64 * 1024,
    });
    await this.connection.pollNow();
    return outcomeFromHttp(result, 'upload');
  }

  private get storage(): string {
    return this.config.storage ?? 'usb';
  }

  private get printerState(): string {
    const printer = this.status?.printer;
    return isRecord(printer) && typeof printer.state === 'string' ? printer.state : 'unknown';
  }

  private url(path: string): string {
    return new URL(path, this.config.baseUrl).toString();
  }

  private request(request: HttpRequest): Promise<HttpResult> {
    return httpRequest({ ...request, headers: { 'x-api-key': this.config.apiKey, ...request.headers } });
  }

  private async command(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    action: string,
    options: ExecuteOptions,
  ): Promise<CommandOutcome> {
    const result = await this.request({ method, url: this.url(path), timeoutMs: options.timeoutMs, maxBytes: 64 * 1024 });
    await this.connection.pollNow();
    return outcomeFromHttp(result, action);
  }

  private async poll(): Promise<PollResult> {
    const get = (path: string) =>
      this.request({ method: 'GET', url: this.url(path), timeoutMs: POLL_TIMEOUT_MS, maxBytes: this.core.maxMessageBytes });
    const status = await get('/api/v1/status');
    if (status.kind === 'timeout' || status.kind === 'network') return { ok: false, reason: pollFailure(status) };
    if (status.kind === 'too_large') {
      this.core.accept(status.bytes, 'status');
      return { ok: true };
    }
    if (status.status === 401 || status.status === 403) return { ok: false, reason: 'the printer refused the API key' };
    if (status.status !== 200) return { ok: false, reason: `GET /api/v1/status answered ${status.status}` };
    const job = await get('/api/v1/job');
    if (job.kind === 'response' && (job.status === 200 || job.status === 204))
      this.ingest('job', job.status === 204 ? '' : job.body);
    else if (job.kind === 'too_large') this.core.accept(job.bytes, 'job');
    this.ingest('status', status.body);
    return { ok: true };
  }
}
