/**
 * One live stream per client carrying every collection (SPEC S-L1..S-L4). Server-Sent Events
 * read through fetch so the credential travels in a header, never in the URL. Every
 * (re)connect tells each collection to RESYNC, because events may have been missed.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { StreamEvent, WireDoc, Checkpoint } from '../protocol.js';
import { authHeaders, toError, type SyncTransport } from './http.js';

export type StreamItem = { documents: WireDoc[]; checkpoint: Checkpoint } | 'RESYNC';
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'unauthorized' | 'stopped';

export interface LiveStreamOptions extends SyncTransport {
  /** Backoff bounds between reconnect attempts, in ms. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export class LiveStream {
  readonly status$ = new BehaviorSubject<ConnectionStatus>('connecting');
  /** Server-side closes (session revoked, scope changed) for the UI. */
  readonly closed$ = new Subject<{ code: string; reason: string }>();
  readonly scopeChanged$ = new Subject<void>();
  /** Each (re)connection, after the server's hello. */
  readonly connected$ = new Subject<void>();
  private readonly subjects = new Map<string, Subject<StreamItem>>();
  private abort: AbortController | null = null;
  private stopped = false;
  private retryMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly opts: LiveStreamOptions) {
    this.retryMs = opts.minRetryMs ?? 500;
  }

  streamFor(collection: string): Observable<StreamItem> {
    let s = this.subjects.get(collection);
    if (!s) {
      s = new Subject<StreamItem>();
      this.subjects.set(collection, s);
    }
    return s.asObservable();
  }

  start(): void {
    this.stopped = false;
    if (!this.running) this.running = this.loop();
  }

  /** Reconnect now (after sign-in, or when the browser says it is online again). */
  reconnect(): void {
    this.retryMs = this.opts.minRetryMs ?? 500;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.wake?.();
    }
    this.abort?.abort();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    this.abort?.abort();
    await this.running;
    this.running = null;
    this.status$.next('stopped');
  }

  private wake: (() => void) | null = null;

  private resyncAll(): void {
    for (const s of this.subjects.values()) s.next('RESYNC');
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.connectOnce();
      } catch (err) {
        if (this.stopped) break;
        const status = (err as { status?: number }).status;
        this.status$.next(status === 401 ? 'unauthorized' : 'offline');
      }
      if (this.stopped) break;
      if (this.status$.value === 'online') this.status$.next('offline');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.retryMs);
      });
      this.timer = null;
      this.wake = null;
      this.retryMs = Math.min(Math.max(this.retryMs * 2, this.opts.minRetryMs ?? 500), this.opts.maxRetryMs ?? 15_000);
    }
  }

  private async connectOnce(): Promise<void> {
    this.abort = new AbortController();
    const f = this.opts.fetch ?? globalThis.fetch;
    const headers = await authHeaders(this.opts);
    if (!headers.authorization) {
      this.status$.next('unauthorized');
      return;
    }
    const res = await f(`${this.opts.baseUrl}/api/sync/stream`, {
      headers: { ...headers, accept: 'text/event-stream' },
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) throw await toError(res);
    this.status$.next('online');
    this.retryMs = this.opts.minRetryMs ?? 500;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let idx: number;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          this.handleFrame(frame);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  private handleFrame(frame: string): void {
    const data = frame
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (!data) return; // comment / heartbeat
    const event = JSON.parse(data) as StreamEvent;
    switch (event.type) {
      case 'hello':
        this.resyncAll();
        this.connected$.next();
        break;
      case 'resync':
        if (event.reason === 'scope-changed') this.scopeChanged$.next();
        this.resyncAll();
        break;
      case 'changes':
        this.subjects.get(event.collection)?.next({ documents: event.documents, checkpoint: event.checkpoint });
        break;
      case 'closed':
        this.closed$.next({ code: event.code, reason: event.reason });
        if (event.code === 'SESSION_REVOKED' || event.code === 'UNAUTHENTICATED') this.status$.next('unauthorized');
        // An expired access token: reconnect at once, the transport supplies a fresh one.
        if (event.code === 'TOKEN_EXPIRED') this.retryMs = 0;
        break;
    }
  }
}
