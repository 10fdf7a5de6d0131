/**
 * The auto-queue's REST calls to the sync server: the next job for a printer, a job's model
 * revision (metadata) and its file, the spools and print profile the guardrail needs, and job
 * document writes. None throws: an unreachable server is a normal state for a bridge, and then
 * the auto-queue does nothing.
 *
 * Job writes go through the sync push with the document the bridge last read as the assumed
 * master state, so a write is a compare-and-set: two bridges cannot both claim one job, and a
 * job someone changed meanwhile is read again before anything is decided.
 */
import { createHash } from 'node:crypto';
import { createHlc, maxClock, stampChangedFields, type Hlc } from '@fleetsync/shared';
import type { CompatibilityReason } from '@fleetsync/shared/farm';
import { authHeaders, toError, type SyncTransport } from '@fleetsync/shared/sync';
import type { PrintFileMetadata } from '../metadata/sharedMetadata.js';
import type { CallResult } from './serverLink.js';

export type JobDoc = Record<string, unknown> & { id: string; status: string };

export interface NextJobAnswer {
  job: JobDoc | null;
  skipped: { jobId: string; reasons: CompatibilityReason[] }[];
}

export interface RevisionInfo {
  revision: number;
  sha256: string;
  fileName: string;
  fileKind: string;
  metadata: PrintFileMetadata;
}

/** What a job write came to. `refused`: the server will not take it (rule, transition); `gone`: no such job. */
export type JobWrite =
  | { kind: 'written'; doc: JobDoc }
  | { kind: 'unchanged'; doc: JobDoc }
  | { kind: 'gone' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unreachable'; reason: string };

const CONFLICT_RETRIES = 3;

interface PushAnswer {
  conflicts?: JobDoc[];
  rejections?: { code: string; message: string }[];
}

export class AutoQueueLink {
  private readonly hlc: Hlc;

  constructor(
    private readonly transport: SyncTransport,
    bridgeId: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.hlc = createHlc(`bq-${bridgeId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40));
  }

  async nextJob(printerId: string): Promise<CallResult<NextJobAnswer>> {
    const r = await this.call<{ job?: unknown; skipped?: unknown }>('GET', `/api/printers/${enc(printerId)}/next-job`);
    if (!r.ok) return r;
    const job = isJobDoc(r.value.job) ? r.value.job : null;
    const skipped = Array.isArray(r.value.skipped)
      ? r.value.skipped.filter(
          (s): s is NextJobAnswer['skipped'][number] =>
            typeof s === 'object' && s !== null && typeof (s as { jobId?: unknown }).jobId === 'string',
        )
      : [];
    return { ok: true, value: { job, skipped: skipped.map((s) => ({ jobId: s.jobId, reasons: reasonsOf(s.reasons) })) } };
  }

  async revision(modelId: string, revision: number): Promise<CallResult<RevisionInfo | null>> {
    const r = await this.call<{ revisions?: unknown }>('GET', `/api/models/${enc(modelId)}/revisions`);
    if (!r.ok) return r.status === 404 ? { ok: true, value: null } : r;
    const list = Array.isArray(r.value.revisions) ? (r.value.revisions as Record<string, unknown>[]) : [];
    const found = list.find((x) => x.revision === revision);
    if (!found || typeof found.sha256 !== 'string' || typeof found.fileName !== 'string') return { ok: true, value: null };
    return {
      ok: true,
      value: {
        revision,
        sha256: found.sha256.toLowerCase(),
        fileName: found.fileName,
        fileKind: String(found.fileKind ?? ''),
        metadata: (typeof found.metadata === 'object' && found.metadata !== null ? found.metadata : {}) as PrintFileMetadata,
      },
    };
  }

  /** The revision's bytes, checked against the sha256 the server stores for it (and sends as x-sha256). */
  async download(modelId: string, revision: number, sha256: string): Promise<CallResult<Uint8Array>> {
    const f = this.transport.fetch ?? globalThis.fetch;
    try {
      const res = await f(`${this.transport.baseUrl}/api/models/${enc(modelId)}/revisions/${revision}/download`, {
        headers: await authHeaders(this.transport),
        signal: AbortSignal.timeout(Math.max(this.timeoutMs, 300_000)),
      });
      if (!res.ok) {
        const error = await toError(res);
        return { ok: false, reason: `${error.code}: ${error.message}`, ...(res.status < 500 ? { status: res.status } : {}) };
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      const actual = createHash('sha256').update(bytes).digest('hex');
      const header = res.headers.get('x-sha256')?.trim().toLowerCase();
      if (actual !== sha256 || (header && header !== actual)) {
        // The server answered, but not with this revision's bytes: not worth retrying at once.
        return { ok: false, reason: `the downloaded file's sha256 ${actual} is not the revision's ${sha256}`, status: 422 };
      }
      return { ok: true, value: bytes };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Materials of the spools loaded on a printer: its `loadedSpoolId`, else every spool placed on it (as the server decides). */
  async loadedMaterials(printer: Record<string, unknown>): Promise<CallResult<{ material: string }[] | undefined>> {
    if (typeof printer.loadedSpoolId === 'string') {
      const r = await this.call<Record<string, unknown>>('GET', `/api/spools/${enc(printer.loadedSpoolId)}`);
      if (!r.ok) return r.status === 404 ? { ok: true, value: undefined } : r;
      return { ok: true, value: typeof r.value.material === 'string' ? [{ material: r.value.material }] : undefined };
    }
    const found: { material: string }[] = [];
    let after = 0;
    for (let page = 0; page < 100; page++) {
      const r = await this.call<{ items?: Record<string, unknown>[]; next?: number | null }>(
        'GET',
        `/api/spools?limit=500&after=${after}`,
      );
      if (!r.ok) return r;
      for (const s of r.value.items ?? [])
        if (s.printerId === printer.id && s.orgId === printer.orgId && typeof s.material === 'string')
          found.push({ material: s.material });
      if (typeof r.value.next !== 'number') break;
      after = r.value.next;
    }
    return { ok: true, value: found.length > 0 ? found : undefined };
  }

  async profile(id: string): Promise<CallResult<Record<string, unknown> | null>> {
    const r = await this.call<Record<string, unknown>>('GET', `/api/profiles/${enc(id)}`);
    if (!r.ok) return r.status === 404 ? { ok: true, value: null } : r;
    return { ok: true, value: r.value };
  }

  async readJob(id: string): Promise<CallResult<JobDoc | null>> {
    const r = await this.call<unknown>('GET', `/api/jobs/${enc(id)}`);
    if (!r.ok) return r.status === 404 ? { ok: true, value: null } : r;
    return { ok: true, value: isJobDoc(r.value) ? r.value : null };
  }

  /**
   * Read the job, let `change` decide from what is stored now (null: leave it), and write with
   * that state as the assumed master; on a conflict, decide again from the newer state.
   */
  async updateJob(id: string, change: (current: JobDoc) => JobDoc | null): Promise<JobWrite> {
    let current: JobDoc | null = null;
    for (let attempt = 0; attempt <= CONFLICT_RETRIES; attempt++) {
      if (!current) {
        const read = await this.readJob(id);
        if (!read.ok) return { kind: 'unreachable', reason: read.reason };
        if (!read.value) return { kind: 'gone' };
        current = read.value;
      }
      const wanted = change(current);
      if (!wanted) return { kind: 'unchanged', doc: current };
      this.hlc.observe(maxClock(current as { clock?: Record<string, string> }));
      const next: Record<string, unknown> = { ...wanted, _deleted: false };
      next.clock = stampChangedFields(current, next, this.hlc.now());
      const r: CallResult<PushAnswer> = await this.call<PushAnswer>('POST', '/api/sync/jobs/push', {
        rows: [{ assumedMasterState: current, newDocumentState: next }],
      });
      if (!r.ok) return r.status ? { kind: 'refused', reason: r.reason } : { kind: 'unreachable', reason: r.reason };
      const rejection = r.value.rejections?.[0];
      if (rejection) return { kind: 'refused', reason: `${rejection.code}: ${rejection.message}` };
      const conflict: JobDoc | undefined = r.value.conflicts?.find((d: JobDoc) => d.id === id);
      if (!conflict) return { kind: 'written', doc: next as JobDoc };
      if (conflict._deleted === true) return { kind: 'gone' };
      current = conflict;
    }
    return { kind: 'refused', reason: 'the job kept changing while the bridge wrote it' };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<CallResult<T>> {
    const f = this.transport.fetch ?? globalThis.fetch;
    try {
      const res = await f(`${this.transport.baseUrl}${path}`, {
        method,
        headers: {
          ...(await authHeaders(this.transport)),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) {
        const error = await toError(res);
        // 5xx (and proxies answering for a server that is away) count as unreachable: try again later.
        return { ok: false, reason: `${error.code}: ${error.message}`, ...(res.status < 500 ? { status: res.status } : {}) };
      }
      return { ok: true, value: (await res.json()) as T };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

const enc = encodeURIComponent;

function isJobDoc(value: unknown): value is JobDoc {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}

function reasonsOf(value: unknown): CompatibilityReason[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is CompatibilityReason =>
      typeof r === 'object' && r !== null && typeof (r as { message?: unknown }).message === 'string',
  );
}
