/**
 * Klipper through Moonraker (printfarm anchor §3b): JSON-RPC 2.0 on ws://host/websocket,
 * `printer.objects.subscribe` then `notify_status_update` deltas merged into the last status;
 * printer.print.pause|resume|cancel|start, heater targets through printer.gcode.script (M104/M140),
 * upload POST /server/files/upload with print=true. Auth: X-Api-Key.
 */
import WebSocket from 'ws';
import { AdapterCore, byteLength, toText } from './adapterCore.js';
import { RetryTimer } from './backoff.js';
import type { DeviceAdapter, ExecuteOptions, MoonrakerConfig } from './deviceAdapter.js';
import { httpRequest, multipartBody } from './httpClient.js';
import { outcomeFromHttp } from './httpOutcome.js';
import { MOONRAKER_OBJECTS, moonrakerStatusProblems, moonrakerTelemetry } from './moonrakerStatus.js';
import { RpcCalls, type RpcReply } from './rpcCalls.js';
import {
  commandFailed,
  commandOk,
  deepMerge,
  isRecord,
  parsePrinterCommand,
  pick,
  type CommandOutcome,
  type CommandParams,
  type JsonRecord,
} from './sharedDevices.js';

export class MoonrakerAdapter implements DeviceAdapter {
  readonly protocol = 'moonraker' as const;
  private readonly core: AdapterCore;
  private readonly retry: RetryTimer;
  private readonly calls = new RpcCalls();
  private socket: WebSocket | undefined;
  private running = false;
  private status: JsonRecord = {};
  private klippyMessage: string | undefined;

  constructor(private readonly config: MoonrakerConfig) {
    this.core = new AdapterCore(`moonraker ${config.baseUrl}`, config);
    this.retry = new RetryTimer(config.reconnect);
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
    if (this.running) return Promise.resolve();
    this.running = true;
    return this.open();
  }

  async disconnect(): Promise<void> {
    this.running = false;
    this.retry.cancel();
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.terminate();
      });
    }
    this.core.offline();
  }

  /** The adapter's input path: one websocket text frame from Moonraker. */
  ingest(raw: string | Uint8Array): void {
    if (!this.core.accept(byteLength(raw), 'websocket')) return;
    const message = this.core.parseJson(toText(raw), 'websocket');
    if (message === undefined) return;
    if (!isRecord(message)) return this.core.malformed('websocket', 'frame is not a JSON object');
    if (message.id !== undefined && ('result' in message || 'error' in message)) {
      if (!this.calls.settle(message)) this.core.malformed('websocket', 'reply to an unknown request');
      return;
    }
    switch (message.method) {
      case 'notify_status_update': {
        const delta = Array.isArray(message.params) ? message.params[0] : undefined;
        const problems = moonrakerStatusProblems(delta);
        if (problems.length > 0 || !isRecord(delta)) return this.core.malformed('notify_status_update', problems.join('; '));
        this.status = deepMerge(this.status, delta);
        return this.publish();
      }
      case 'notify_klippy_shutdown':
      case 'notify_klippy_disconnected':
        this.klippyMessage = message.method === 'notify_klippy_shutdown' ? 'Klipper shut down' : 'Klipper disconnected';
        return this.publish();
      case 'notify_klippy_ready':
        this.klippyMessage = undefined;
        void this.subscribe();
        return;
      default:
        if (typeof message.method !== 'string') this.core.malformed('websocket', 'neither a reply nor a notification');
    }
  }

  async execute(action: string, params: CommandParams, options: ExecuteOptions): Promise<CommandOutcome> {
    const parsed = parsePrinterCommand(action, params);
    if (!parsed.ok) return commandFailed('rejected', parsed.reason);
    const { command } = parsed;
    if (command.action === 'mark_bed_cleared') return this.core.markBedCleared();
    switch (command.action) {
      case 'pause':
      case 'resume':
        return this.run(`printer.print.${command.action}`, {}, action, options);
      case 'stop':
        return this.run('printer.print.cancel', {}, action, options);
      case 'start_job':
        return this.run('printer.print.start', { filename: command.params.fileName }, action, options);
      case 'set_temperature': {
        const lines: string[] = [];
        if (command.params.nozzle !== undefined) lines.push(`M104 S${command.params.nozzle}`);
        if (command.params.bed !== undefined) lines.push(`M140 S${command.params.bed}`);
        return this.run('printer.gcode.script', { script: lines.join('\n') }, action, options);
      }
    }
  }

  async uploadAndStart(fileName: string, bytes: Uint8Array, options: ExecuteOptions): Promise<CommandOutcome> {
    const form = multipartBody({ root: 'gcodes', print: 'true' }, { field: 'file', name: fileName, bytes });
    const result = await httpRequest({
      method: 'POST',
      url: new URL('/server/files/upload', this.config.baseUrl).toString(),
      headers: { 'content-type': form.contentType, ...(this.config.apiKey ? { 'x-api-key': this.config.apiKey } : {}) },
      body: form.body,
      timeoutMs: options.timeoutMs,
      maxBytes: 64 * 1024,
    });
    const outcome = outcomeFromHttp(result, 'upload');
    if (!outcome.ok || result.kind !== 'response') return outcome;
    let started: unknown;
    try {
      started = pick(JSON.parse(result.body), 'print_started');
    } catch {
      started = undefined;
    }
    return started === true ? commandOk() : commandFailed('rejected', 'Moonraker stored the file but did not start printing it');
  }

  private publish(): void {
    this.core.publish(moonrakerTelemetry(this.status, this.klippyMessage));
  }

  private async run(method: string, params: JsonRecord, action: string, options: ExecuteOptions): Promise<CommandOutcome> {
    const reply = await this.call(method, params, options.timeoutMs);
    switch (reply.kind) {
      case 'result':
        return commandOk();
      case 'error':
        return commandFailed('rejected', reply.message);
      case 'timeout':
        return commandFailed('timeout', `Moonraker did not answer ${action} in time`);
      case 'offline':
        return commandFailed('offline', 'Moonraker is not connected');
    }
  }

  private call(method: string, params: JsonRecord, timeoutMs: number): Promise<RpcReply> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.resolve({ kind: 'offline' });
    const { id, reply } = this.calls.start(timeoutMs);
    socket.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    return reply;
  }

  private async subscribe(): Promise<void> {
    const reply = await this.call('printer.objects.subscribe', { objects: MOONRAKER_OBJECTS }, 5_000);
    if (reply.kind !== 'result') {
      this.core.logger.warn('moonraker subscribe failed', { reply: reply.kind === 'error' ? reply.message : reply.kind });
      return;
    }
    const status = pick(reply.result, 'status');
    if (!isRecord(status) || moonrakerStatusProblems(status).length > 0) {
      this.core.malformed('printer.objects.subscribe', 'subscribe result has no usable status');
      return;
    }
    this.status = status;
    this.publish();
  }

  private open(): Promise<void> {
    const url = new URL('/websocket', this.config.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, {
      headers: this.config.apiKey ? { 'X-Api-Key': this.config.apiKey } : {},
      maxPayload: this.core.maxMessageBytes * 4,
      handshakeTimeout: 5_000,
    });
    this.socket = socket;
    return new Promise<void>((resolve) => {
      socket.on('open', () => {
        this.retry.backoff.reset();
        this.klippyMessage = undefined;
        void this.subscribe().finally(resolve);
      });
      socket.on('message', (data: Buffer, isBinary: boolean) =>
        isBinary ? this.core.malformed('websocket', 'binary frame') : this.ingest(data),
      );
      socket.on('error', (error) => this.core.logger.warn('moonraker websocket error', { error: error.message }));
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        this.calls.failAll();
        this.core.offline('the Moonraker websocket closed');
        if (this.running) this.retry.schedule(() => void this.open());
        resolve();
      });
    });
  }
}
