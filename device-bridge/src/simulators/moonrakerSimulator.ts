/**
 * A Klipper printer behind Moonraker (printfarm anchor §3b): JSON-RPC 2.0 on /websocket,
 * printer.objects.subscribe with notify_status_update deltas, printer.print.*, printer.gcode.script,
 * and POST /server/files/upload (multipart, print=true).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MoonrakerConfig } from '../adapters/deviceAdapter.js';
import { startStoredFile, type DeviceSimulator, type SimulatorOptions } from './deviceSimulator.js';
import { moonrakerObjects, objectDelta, selectObjects, type ObjectSelection, type Objects } from './moonrakerObjects.js';
import { parseMultipart } from './multipart.js';
import { PrintFiles } from './printFiles.js';
import { SimulatedPrinter, type SimResult } from './simulatedPrinter.js';
import { SimulatorHttp, sendJson } from './simulatorHttp.js';

interface Session {
  selection: ObjectSelection;
  lastSent: Objects;
}

export class MoonrakerSimulator implements DeviceSimulator {
  readonly protocol = 'moonraker' as const;
  readonly printer: SimulatedPrinter;
  readonly files = new PrintFiles();
  private readonly http: SimulatorHttp;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  private readonly sessions = new Map<WebSocket, Session>();
  private readonly apiKey: string | undefined;
  private muted = false;

  constructor(options: SimulatorOptions = {}) {
    this.printer = new SimulatedPrinter({ timeScale: options.timeScale });
    this.apiKey = options.apiKey ?? 'moonraker-sim-key';
    this.http = new SimulatorHttp((req, res, body) => this.handleHttp(req, res, body), options.port);
    this.http.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.printer.on('change', () => this.notify());
  }

  get port(): number {
    return this.http.port;
  }

  adapterConfig(): MoonrakerConfig {
    return { protocol: 'moonraker', baseUrl: this.http.baseUrl, apiKey: this.apiKey };
  }

  async injectRaw(payload: string): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((ws) => new Promise<void>((resolve) => ws.send(payload, () => resolve()))));
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  async start(): Promise<void> {
    await this.http.start();
    this.printer.run();
  }

  async stop(): Promise<void> {
    this.printer.halt();
    for (const ws of this.sessions.keys()) ws.terminate();
    this.sessions.clear();
    await this.http.stop();
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (path !== '/websocket' || (this.apiKey && req.headers['x-api-key'] !== this.apiKey)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sessions.set(ws, { selection: {}, lastSent: {} });
      ws.on('message', (data: Buffer) => this.handleRpc(ws, data.toString('utf8')));
      ws.on('close', () => this.sessions.delete(ws));
    });
  }

  private handleRpc(ws: WebSocket, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      return ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
    }
    if (this.muted) return;
    const params = (typeof request.params === 'object' && request.params !== null ? request.params : {}) as Record<
      string,
      unknown
    >;
    const reply = (result: unknown) => ws.send(JSON.stringify({ jsonrpc: '2.0', result, id: request.id }));
    const fail = (code: number, message: string) =>
      ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: request.id }));
    const answer = (result: SimResult) => (result.ok ? reply('ok') : fail(400, result.reason));
    const objects = moonrakerObjects(this.printer.snapshot());
    switch (request.method) {
      case 'server.info':
        return reply({ klippy_connected: true, klippy_state: 'ready', moonraker_version: 'v0.9.3-sim' });
      case 'printer.objects.subscribe':
      case 'printer.objects.query': {
        const selection = (params.objects ?? {}) as ObjectSelection;
        const status = selectObjects(objects, selection);
        const session = this.sessions.get(ws);
        if (session && request.method === 'printer.objects.subscribe') Object.assign(session, { selection, lastSent: status });
        return reply({ eventtime: performance.now() / 1000, status });
      }
      case 'printer.print.start': {
        const name = String(params.filename ?? '');
        if (!this.files.has(name)) return fail(400, `File ${name} does not exist`);
        return answer(startStoredFile(this.printer, this.files, name));
      }
      case 'printer.print.pause':
        return answer(this.printer.pause());
      case 'printer.print.resume':
        return answer(this.printer.resume());
      case 'printer.print.cancel':
        return answer(this.printer.cancel());
      case 'printer.gcode.script':
        return answer(this.runGcode(String(params.script ?? '')));
      default:
        return fail(-32601, `Method not found: ${String(request.method)}`);
    }
  }

  /** M104/M109 set the nozzle, M140/M190 the bed; other lines are accepted and ignored. */
  private runGcode(script: string): SimResult {
    for (const line of script.split('\n')) {
      const match = /^(M104|M109|M140|M190)\b.*\bS(\d+(?:\.\d+)?)/i.exec(line.trim());
      if (!match) continue;
      const value = Number(match[2]);
      const heater = /^M10[49]$/i.test(match[1] ?? '') ? { nozzle: value } : { bed: value };
      const result = this.printer.setTargets(heater);
      if (!result.ok) return result;
    }
    return { ok: true };
  }

  private notify(): void {
    if (this.sessions.size === 0) return;
    const objects = moonrakerObjects(this.printer.snapshot());
    for (const [ws, session] of this.sessions) {
      const current = selectObjects(objects, session.selection);
      const delta = objectDelta(session.lastSent, current);
      if (Object.keys(delta).length === 0) continue;
      session.lastSent = current;
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'notify_status_update', params: [delta, performance.now() / 1000] }));
    }
  }

  private handleHttp(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    if (this.apiKey && req.headers['x-api-key'] !== this.apiKey)
      return sendJson(res, 401, { error: { code: 401, message: 'Unauthorized' } });
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (req.method === 'GET' && path === '/server/info') return sendJson(res, 200, { result: { klippy_state: 'ready' } });
    if (req.method !== 'POST' || path !== '/server/files/upload')
      return sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });
    if (this.muted) return this.http.hold(res);
    const parts = parseMultipart(body, req.headers['content-type']);
    const file = parts.find((p) => p.name === 'file' && p.fileName);
    if (!file?.fileName) return sendJson(res, 400, { error: { code: 400, message: 'No file' } });
    this.files.put(file.fileName, file.data);
    const print = parts.find((p) => p.name === 'print')?.data.toString('utf8') === 'true';
    const started = print ? startStoredFile(this.printer, this.files, file.fileName).ok : false;
    sendJson(res, 201, {
      item: { path: file.fileName, root: 'gcodes', modified: Date.now() / 1000, size: file.data.byteLength, permissions: 'rw' },
      print_started: started,
      print_queued: false,
      action: 'create_file',
    });
  }
}
