/**
 * An OctoPrint server with a printer attached (printfarm anchor §3d): GET /api/printer and
 * /api/job, POST /api/job (start, cancel, pause with action), heater targets, file upload.
 */
import type http from 'node:http';
import type { OctoPrintConfig } from '../adapters/deviceAdapter.js';
import { startStoredFile, type DeviceSimulator, type SimulatorOptions } from './deviceSimulator.js';
import { parseMultipart } from './multipart.js';
import { PrintFiles } from './printFiles.js';
import { SimulatedPrinter, type SimResult, type SimSnapshot } from './simulatedPrinter.js';
import { SimulatorHttp, parseJsonBody, sendEmpty, sendJson, sendRaw } from './simulatorHttp.js';

const TEXT: Record<SimSnapshot['phase'], string> = {
  idle: 'Operational',
  heating: 'Printing',
  printing: 'Printing',
  paused: 'Paused',
  finished: 'Operational',
  cancelled: 'Operational',
  failed: 'Error',
};

export function octoPrintPrinter(s: SimSnapshot): Record<string, unknown> {
  const failed = s.phase === 'failed';
  const printing = s.phase === 'printing' || s.phase === 'heating';
  return {
    temperature: {
      tool0: { actual: s.nozzle.temp, target: s.nozzle.target, offset: 0 },
      bed: { actual: s.bed.temp, target: s.bed.target, offset: 0 },
    },
    sd: { ready: true },
    state: {
      text: failed ? `Error: ${s.fault?.message ?? 'unknown'}` : TEXT[s.phase],
      ...(failed ? { error: s.fault?.message } : {}),
      flags: {
        operational: !failed,
        printing,
        paused: s.phase === 'paused',
        pausing: false,
        cancelling: false,
        finishing: false,
        sdReady: true,
        error: failed,
        ready: !failed && !printing && s.phase !== 'paused',
        closedOrError: failed,
      },
    },
  };
}

export function octoPrintJob(s: SimSnapshot): Record<string, unknown> {
  const job = s.job;
  const printTime = job ? Math.round(job.elapsedS) : null;
  return {
    job: {
      file: job ? { name: job.fileName, path: job.fileName, origin: 'local', size: null, date: null } : { name: null },
      estimatedPrintTime: job?.durationS ?? null,
      filament: null,
    },
    progress: {
      completion: job ? (s.phase === 'finished' ? 100 : s.progress) : null,
      filepos: null,
      printTime,
      printTimeLeft: job && s.phase !== 'finished' ? s.remainingS : null,
    },
    state: TEXT[s.phase],
  };
}

export class OctoPrintSimulator implements DeviceSimulator {
  readonly protocol = 'octoprint' as const;
  readonly printer: SimulatedPrinter;
  readonly files = new PrintFiles();
  private readonly http: SimulatorHttp;
  private readonly apiKey: string;
  private readonly injected: string[] = [];
  private muted = false;
  private selected: string | undefined;

  constructor(options: SimulatorOptions = {}) {
    this.printer = new SimulatedPrinter({ timeScale: options.timeScale });
    this.apiKey = options.apiKey ?? 'octoprint-sim-key';
    this.http = new SimulatorHttp((req, res, body) => this.handle(req, res, body), options.port);
  }

  get port(): number {
    return this.http.port;
  }

  adapterConfig(): OctoPrintConfig {
    return { protocol: 'octoprint', baseUrl: this.http.baseUrl, apiKey: this.apiKey };
  }

  async injectRaw(payload: string): Promise<void> {
    this.injected.push(payload);
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
    await this.http.stop();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    if (req.headers['x-api-key'] !== this.apiKey) return sendJson(res, 403, { error: 'Invalid API key' });
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const snapshot = this.printer.snapshot();
    if (req.method === 'GET') {
      if (path === '/api/version') return sendJson(res, 200, { api: '0.1', server: '1.10.0', text: 'OctoPrint 1.10.0' });
      if (path === '/api/printer') {
        const raw = this.injected.shift();
        return raw === undefined ? sendJson(res, 200, octoPrintPrinter(snapshot)) : sendRaw(res, 200, raw);
      }
      if (path === '/api/job') return sendJson(res, 200, octoPrintJob(snapshot));
      return sendJson(res, 404, { error: 'Not found' });
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'Method not allowed' });
    if (this.muted) return this.http.hold(res);
    if (path === '/api/files/local') return this.upload(req, res, body);
    const json = parseJsonBody(body);
    if (!json) return sendJson(res, 400, { error: 'Malformed JSON body' });
    if (path === '/api/job') return this.jobCommand(res, json);
    if (path.startsWith('/api/files/local/')) {
      const name = decodeURIComponent(path.slice('/api/files/local/'.length));
      if (!this.files.has(name)) return sendJson(res, 404, { error: `File not found: ${name}` });
      this.selected = name;
      return json.print === true ? this.answer(res, startStoredFile(this.printer, this.files, name)) : sendEmpty(res, 204);
    }
    if (snapshot.phase === 'failed') return sendJson(res, 409, { error: 'Printer is not operational' });
    if (path === '/api/printer/tool' && json.command === 'target') {
      const target = (json.targets as Record<string, unknown> | undefined)?.tool0;
      if (typeof target !== 'number') return sendJson(res, 400, { error: 'Invalid target for tool0' });
      return this.answer(res, this.printer.setTargets({ nozzle: target }));
    }
    if (path === '/api/printer/bed' && json.command === 'target') {
      if (typeof json.target !== 'number') return sendJson(res, 400, { error: 'Invalid target for bed' });
      return this.answer(res, this.printer.setTargets({ bed: json.target }));
    }
    return sendJson(res, 404, { error: 'Not found' });
  }

  private jobCommand(res: http.ServerResponse, json: Record<string, unknown>): void {
    const phase = this.printer.snapshot().phase;
    const active = phase === 'printing' || phase === 'heating' || phase === 'paused';
    switch (json.command) {
      case 'start':
        if (!this.selected) return sendJson(res, 409, { error: 'Printer is ready, but no file is selected' });
        return this.answer(res, startStoredFile(this.printer, this.files, this.selected));
      case 'cancel':
        if (!active) return sendJson(res, 409, { error: 'Printer is neither printing nor paused' });
        return this.answer(res, this.printer.cancel());
      case 'pause': {
        if (!active) return sendJson(res, 409, { error: 'Printer is neither printing nor paused' });
        const action = json.action ?? 'toggle';
        if (action === 'pause' || (action === 'toggle' && phase !== 'paused')) return this.answer(res, this.printer.pause());
        if (action === 'resume' || action === 'toggle') return this.answer(res, this.printer.resume());
        return sendJson(res, 400, { error: `Unknown action ${String(action)}` });
      }
      default:
        return sendJson(res, 400, { error: `Unknown command ${String(json.command)}` });
    }
  }

  private upload(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const parts = parseMultipart(body, req.headers['content-type']);
    const file = parts.find((p) => p.name === 'file' && p.fileName);
    if (!file?.fileName) return sendJson(res, 400, { error: 'No file included' });
    const field = (name: string) => parts.find((p) => p.name === name)?.data.toString('utf8');
    this.files.put(file.fileName, file.data);
    if (field('select') === 'true' || field('print') === 'true') this.selected = file.fileName;
    if (field('print') === 'true') {
      const started = startStoredFile(this.printer, this.files, file.fileName);
      if (!started.ok) return sendJson(res, 409, { error: started.reason });
    }
    sendJson(res, 201, { done: true, files: { local: { name: file.fileName, origin: 'local', refs: {} } } });
  }

  private answer(res: http.ServerResponse, result: SimResult): void {
    if (result.ok) return sendEmpty(res, 204);
    sendJson(res, 409, { error: result.reason });
  }
}
