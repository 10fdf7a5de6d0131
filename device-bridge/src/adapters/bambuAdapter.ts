/**
 * Bambu Lab printers over LAN MQTT (printfarm anchor §3a): TLS on 8883, user bblp, password =
 * access code; reports on device/{serial}/report, requests on device/{serial}/request. On
 * connect: get_version and pushall. Command replies are matched by sequence_id. One connection
 * per printer (several clients make printers flap), reconnected with backoff.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { AdapterCore, byteLength, toText } from './adapterCore.js';
import { RetryTimer } from './backoff.js';
import { bambuTelemetry, cleanBambuPrint } from './bambuReport.js';
import { ftpsUpload, plateGcode, startRequest } from './bambuUpload.js';
import type { BambuConfig, DeviceAdapter, ExecuteOptions } from './deviceAdapter.js';
import { RpcCalls, type RpcReply } from './rpcCalls.js';
import {
  commandFailed,
  commandOk,
  deepMerge,
  isRecord,
  parsePrinterCommand,
  toNumber,
  type CommandOutcome,
  type CommandParams,
  type JsonRecord,
} from './sharedDevices.js';

const REPORT_TYPES = ['print', 'info', 'system', 'pushing', 'camera', 'upgrade', 'xcam', 'liveview', 'security'];

export class BambuAdapter implements DeviceAdapter {
  readonly protocol = 'bambu' as const;
  private readonly core: AdapterCore;
  private readonly retry: RetryTimer;
  private readonly calls = new RpcCalls();
  private client: MqttClient | undefined;
  private connected = false;
  private running = false;
  private print: JsonRecord = {};

  constructor(private readonly config: BambuConfig) {
    this.core = new AdapterCore(`bambu ${config.serial}`, config);
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

  private get reportTopic(): string {
    return `device/${this.config.serial}/report`;
  }

  connect(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    return this.open();
  }

  async disconnect(): Promise<void> {
    this.running = false;
    this.retry.cancel();
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    if (client) await client.endAsync(true);
    this.calls.failAll();
    this.core.offline();
  }

  /** The adapter's input path: one payload published on device/{serial}/report. */
  ingest(raw: string | Uint8Array): void {
    if (!this.core.accept(byteLength(raw), 'report')) return;
    const message = this.core.parseJson(toText(raw), 'report');
    if (message === undefined) return;
    if (!isRecord(message)) return this.core.malformed('report', 'report is not a JSON object');
    const types = Object.keys(message).filter((key) => REPORT_TYPES.includes(key));
    if (types.length === 0) return this.core.malformed('report', 'report has no known section');
    if (message.print !== undefined && !isRecord(message.print)) return this.core.malformed('report', 'print is not an object');
    for (const type of types) {
      const section = message[type];
      if (type === 'print' && isRecord(section)) this.ingestPrint(section);
      else if (isRecord(section)) this.settleReply(section);
    }
  }

  async execute(action: string, params: CommandParams, options: ExecuteOptions): Promise<CommandOutcome> {
    const parsed = parsePrinterCommand(action, params);
    if (!parsed.ok) return commandFailed('rejected', parsed.reason);
    const { command } = parsed;
    switch (command.action) {
      case 'mark_bed_cleared':
        return this.core.markBedCleared();
      case 'pause':
      case 'resume':
      case 'stop':
        return this.run({ command: command.action, param: '' }, action, options);
      case 'start_job':
        return this.run(startRequest(command.params.fileName, undefined), action, options);
      case 'set_temperature': {
        const { nozzle, bed } = command.params;
        const gcode = `${nozzle !== undefined ? `M104 S${nozzle}\n` : ''}${bed !== undefined ? `M140 S${bed}\n` : ''}`;
        return this.run({ command: 'gcode_line', param: gcode }, action, options);
      }
    }
  }

  async uploadAndStart(fileName: string, bytes: Uint8Array, options: ExecuteOptions): Promise<CommandOutcome> {
    if (!this.connected) return commandFailed('offline', 'the printer is not connected');
    const host = this.config.ftps?.host ?? new URL(this.config.url).hostname;
    const port = this.config.ftps?.port ?? 990;
    try {
      await ftpsUpload({ host, port, accessCode: this.config.accessCode }, fileName, bytes, options.timeoutMs);
    } catch (error) {
      return commandFailed('device_error', `FTPS upload failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.run(startRequest(fileName, plateGcode(bytes)), 'start', options);
  }

  private ingestPrint(section: JsonRecord): void {
    const { clean, invalid } = cleanBambuPrint(section);
    if (invalid.length > 0) this.core.malformed('report', `unusable fields: ${invalid.join(', ')}`);
    if (clean.command === 'push_status') {
      this.print = toNumber(clean.msg) === 0 ? clean : deepMerge(this.print, clean);
      this.core.publish(bambuTelemetry(this.print));
      return;
    }
    this.settleReply(clean);
  }

  /** A reply echoes our sequence_id with `result` ("success", any case) and maybe `reason`. */
  private settleReply(section: JsonRecord): void {
    const id = section.sequence_id;
    if ((typeof id !== 'string' && typeof id !== 'number') || !this.calls.has(String(id))) return;
    const result = String(section.result ?? '').toLowerCase();
    const reply: RpcReply =
      result === 'success' || result === 'ok'
        ? { kind: 'result', result: section }
        : {
            kind: 'error',
            message:
              typeof section.reason === 'string' && section.reason !== '' ? section.reason : `result ${result || 'missing'}`,
          };
    this.calls.resolve(String(id), reply);
  }

  private async run(body: JsonRecord, action: string, options: ExecuteOptions): Promise<CommandOutcome> {
    if (!this.client || !this.connected) return commandFailed('offline', 'the printer is not connected');
    const { id, reply } = this.calls.start(options.timeoutMs);
    this.send('print', { sequence_id: String(id), ...body });
    const answer = await reply;
    switch (answer.kind) {
      case 'result':
        return commandOk();
      case 'error':
        return commandFailed('rejected', answer.message);
      case 'timeout':
        return commandFailed('timeout', `the printer did not answer ${action} in time`);
      case 'offline':
        return commandFailed('offline', 'the printer disconnected before answering');
    }
  }

  private send(type: string, body: JsonRecord): void {
    this.client?.publish(`device/${this.config.serial}/request`, JSON.stringify({ [type]: body }), { qos: 1 });
  }

  private open(): Promise<void> {
    const client = mqtt.connect(this.config.url, {
      username: 'bblp',
      password: this.config.accessCode,
      // The printer's certificate is signed by Bambu's own CA and names the serial, not the address.
      rejectUnauthorized: false,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      clientId: `fleetsync-${randomUUID().slice(0, 12)}`,
      clean: true,
    });
    this.client = client;
    return new Promise<void>((resolve) => {
      client.on('connect', () => {
        this.retry.backoff.reset();
        client.subscribe(this.reportTopic, { qos: 0 }, (error) => {
          if (error) this.core.logger.warn('bambu subscribe failed', { error: error.message });
          this.connected = true;
          this.send('info', { sequence_id: '0', command: 'get_version' });
          this.send('pushing', { sequence_id: '0', command: 'pushall' });
          resolve();
        });
      });
      client.on('message', (topic, payload) => {
        if (topic === this.reportTopic) this.ingest(payload);
      });
      client.on('error', (error) => this.core.logger.warn('bambu mqtt error', { error: error.message }));
      client.on('close', () => {
        resolve();
        if (this.client !== client) return;
        this.client = undefined;
        this.connected = false;
        client.end(true);
        this.calls.failAll();
        this.core.offline('the printer connection closed');
        if (this.running) this.retry.schedule(() => void this.open());
      });
    });
  }
}
