/**
 * A PrusaLink v1 printer over HTTP (printfarm anchor §3c): /api/v1/status, /api/v1/job,
 * PUT /api/v1/job/{id}/pause|resume, DELETE /api/v1/job/{id}, PUT/POST /api/v1/files/{storage}/{name}.
 */
import type http from 'node:http';
import type { PrusaLinkConfig } from '../adapters/deviceAdapter.js';
import { startStoredFile, type DeviceSimulator, type SimulatorOptions } from './deviceSimulator.js';
import { PrintFiles } from './printFiles.js';
import { SimulatedPrinter, type SimResult, type SimSnapshot } from './simulatedPrinter.js';
import { SimulatorHttp, sendEmpty, sendJson, sendRaw } from './simulatorHttp.js';

const STATES: Record<SimSnapshot['phase'], string> = {
  idle: 'IDLE',
  heating: 'PRINTING',
  printing: 'PRINTING',
  paused: 'PAUSED',
  finished: 'FINISHED',
  cancelled: 'STOPPED',
  failed: 'ERROR',
};

export function prusaLinkStatus(s: SimSnapshot): Record<string, unknown> {
  const state = STATES[s.phase];
  return {
    printer: {
      state,
      temp_nozzle: s.nozzle.temp,
      target_nozzle: s.nozzle.target,
      temp_bed: s.bed.temp,
      target_bed: s.bed.target,
      axis_z: s.layer * 0.2,
      flow: 100,
      speed: 100,
      fan_hotend: s.nozzle.temp > 50 ? 4500 : 0,
      fan_print: s.phase === 'printing' ? 3000 : 0,
    },
    ...(s.job && s.phase !== 'idle'
      ? { job: { id: s.job.id, progress: s.progress, time_remaining: s.remainingS, time_printing: Math.round(s.job.elapsedS) } }
      : {}),
    storage: { path: '/usb/', name: 'usb', read_only: false },
  };
}

function prusaLinkJob(s: SimSnapshot): Record<string, unknown> | undefined {
  if (!s.job || s.phase === 'idle') return undefined;
  return {
    id: s.job.id,
    state: STATES[s.phase] === 'PRINTING' ? 'PRINTING' : STATES[s.phase],
    progress: s.progress,
    time_remaining: s.remainingS,
    time_printing: Math.round(s.job.elapsedS),
    file: { name: s.job.fileName, display_name: s.job.fileName, path: '/usb', size: 0 },
    ...(s.fault ? { message: s.fault.message } : {}),
  };
}

export class PrusaLinkSimulator implements DeviceSimulator {
  readonly protocol = 'prusalink' as const;
  readonly printer: SimulatedPrinter;
  readonly files = new PrintFiles();
  private readonly http: SimulatorHttp;
  private readonly apiKey: string;
  private readonly injected: string[] = [];
  private muted = false;

  constructor(options: SimulatorOptions = {}) {
    this.printer = new SimulatedPrinter({ timeScale: options.timeScale });
    this.apiKey = options.apiKey ?? 'prusalink-sim-key';
    this.http = new SimulatorHttp((req, res, body) => this.handle(req, res, body), options.port);
  }

  get port(): number {
    return this.http.port;
  }

  adapterConfig(): PrusaLinkConfig {
    return { protocol: 'prusalink', baseUrl: this.http.baseUrl, apiKey: this.apiKey };
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
    if (req.headers['x-api-key'] !== this.apiKey) return sendJson(res, 401, { title: 'Unauthorized', message: 'bad API key' });
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    const snapshot = this.printer.snapshot();
    if (req.method === 'GET') {
      if (path === '/api/version')
        return sendJson(res, 200, { api: '2.0.0', server: '2.1.2', text: 'PrusaLink', hostname: 'sim' });
      if (path === '/api/v1/info') return sendJson(res, 200, { nozzle_diameter: 0.4, hostname: 'sim', serial: 'SIM-PRUSA' });
      if (path === '/api/v1/status') {
        const raw = this.injected.shift();
        return raw === undefined ? sendJson(res, 200, prusaLinkStatus(snapshot)) : sendRaw(res, 200, raw);
      }
      if (path === '/api/v1/job') {
        const job = prusaLinkJob(snapshot);
        return job ? sendJson(res, 200, job) : sendEmpty(res, 204);
      }
      return sendJson(res, 404, { title: 'Not Found', message: path });
    }
    if (this.muted) return this.http.hold(res);
    const jobMatch = /^\/api\/v1\/job\/(\d+)(?:\/(pause|resume|continue))?$/.exec(path);
    if (jobMatch) {
      if (!snapshot.job || String(snapshot.job.id) !== jobMatch[1])
        return sendJson(res, 404, { title: 'Not Found', message: 'no such job' });
      if (req.method === 'DELETE' && !jobMatch[2]) return this.answer(res, this.printer.cancel());
      if (req.method === 'PUT' && jobMatch[2] === 'pause') return this.answer(res, this.printer.pause());
      if (req.method === 'PUT' && jobMatch[2]) return this.answer(res, this.printer.resume());
      return sendJson(res, 405, { title: 'Method Not Allowed', message: req.method ?? '' });
    }
    const fileMatch = /^\/api\/v1\/files\/([^/]+)\/(.+)$/.exec(path);
    if (fileMatch?.[2]) {
      const name = decodeURIComponent(fileMatch[2]);
      if (req.method === 'PUT') {
        const busy = ['heating', 'printing', 'paused'].includes(snapshot.phase);
        if (busy && req.headers['print-after-upload'] === '?1')
          return sendJson(res, 409, { title: 'Conflict', message: 'printer is busy' });
        this.files.put(name, body);
        if (req.headers['print-after-upload'] === '?1') startStoredFile(this.printer, this.files, name);
        return sendEmpty(res, 201);
      }
      if (req.method === 'POST') {
        if (!this.files.has(name)) return sendJson(res, 404, { title: 'Not Found', message: `file ${name} not found` });
        return this.answer(res, startStoredFile(this.printer, this.files, name));
      }
    }
    return sendJson(res, 404, { title: 'Not Found', message: path });
  }

  private answer(res: http.ServerResponse, result: SimResult): void {
    if (result.ok) return sendEmpty(res, 204);
    sendJson(res, 409, { title: 'Conflict', message: result.reason });
  }
}
