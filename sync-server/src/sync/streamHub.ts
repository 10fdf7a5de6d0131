/**
 * Live streams (SPEC S-L1..S-L5). Each server instance LISTENs on one Postgres channel; a
 * change committed through any instance reaches the streams of every instance. A stream only
 * ever sends what its principal may read (the same scope as pull), re-checks its session on
 * revocation notices, and tells its client to RESYNC when the principal's scope changes.
 */
import type { Response } from 'express';
import pg from 'pg';
import type { Logger } from 'pino';
import { COLLECTION_NAMES, type CollectionName, type Principal, type StreamEvent } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { authenticate, type AuthDeps, type Authenticated } from '../auth/authenticate.js';
import { encodeCheckpoint } from './checkpoint.js';
import { CHANGES_CHANNEL, currentSeq, pullChanges, toWire } from './documentStore.js';
import { canReadOrg, readScope } from './readScope.js';
import { withScope } from '../db/scope.js';

type Notice =
  | { t: 'doc'; c: CollectionName; o: string; s: number; sh?: string[]; mv?: boolean }
  | { t: 'scope'; u?: string; o?: string }
  | { t: 'revoke'; sid?: string; u?: string; tok?: string };

interface StreamConn {
  principal: Principal;
  auth: Authenticated;
  /** Re-runs authentication with the credential the stream was opened with. */
  reauth: () => Promise<Authenticated>;
  expiry: ReturnType<typeof setTimeout> | null;
  res: Response;
  seq: Map<CollectionName, number>;
  dirty: Set<CollectionName>;
  flushing: boolean;
  closed: boolean;
}

const BATCH = 500;
const HEARTBEAT_MS = 15_000;

export class StreamHub {
  private readonly conns = new Set<StreamConn>();
  /** Other consumers of change notices (the Yjs hub). */
  private readonly subscribers = new Set<(notice: Record<string, unknown> & { t: string }) => void>();
  private listener: pg.Client | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    private readonly log: Logger,
    private readonly authDeps: AuthDeps,
  ) {}

  async start(): Promise<void> {
    await this.connectListener();
    this.heartbeat = setInterval(() => {
      for (const c of this.conns) c.res.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANGES_CHANNEL || !msg.payload) return;
      try {
        const notice = JSON.parse(msg.payload) as Notice;
        this.onNotice(notice);
        for (const fn of this.subscribers) fn(notice as Record<string, unknown> & { t: string });
      } catch (err) {
        this.log.warn({ err }, 'ignored malformed change notice');
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'change listener lost its connection; reconnecting');
      this.listener = null;
      if (!this.stopped) setTimeout(() => void this.reconnectListener(), 500).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.listener = client;
  }

  private async reconnectListener(): Promise<void> {
    try {
      await this.connectListener();
      // Notices may have been missed while disconnected: every client re-pulls.
      for (const c of this.conns) this.send(c, { type: 'resync', reason: 'connected' });
    } catch {
      if (!this.stopped) setTimeout(() => void this.reconnectListener(), 1000).unref();
    }
  }

  subscribe(fn: (notice: Record<string, unknown> & { t: string }) => void): void {
    this.subscribers.add(fn);
  }

  get size(): number {
    return this.conns.size;
  }

  async attach(auth: Authenticated, credential: string, ip: string, res: Response): Promise<void> {
    const seq = await currentSeq(this.db);
    const conn: StreamConn = {
      principal: auth.principal,
      auth,
      reauth: () => authenticate(this.authDeps, credential, ip),
      expiry: null,
      res,
      seq: new Map(COLLECTION_NAMES.map((n) => [n, seq])),
      dirty: new Set(),
      flushing: false,
      closed: false,
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.conns.add(conn);
    // The credential's lifetime bounds the stream: the client reconnects with a fresh one.
    const ms = auth.validUntil * 1000 - Date.now();
    conn.expiry = setTimeout(
      () => this.close(conn, 'TOKEN_EXPIRED', 'the access token expired; reconnect with a fresh one'),
      Math.max(0, Math.min(ms, 2 ** 31 - 1)),
    );
    conn.expiry.unref();
    res.on('close', () => {
      conn.closed = true;
      if (conn.expiry) clearTimeout(conn.expiry);
      this.conns.delete(conn);
    });
    // The client pulls from its own checkpoint on hello; the stream carries what follows.
    this.send(conn, { type: 'hello', protocolVersion: 1, sessionId: auth.sessionId ?? '' });
  }

  private send(conn: StreamConn, event: StreamEvent): void {
    if (!conn.closed) conn.res.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  private close(conn: StreamConn, code: string, reason: string): void {
    if (conn.closed) return;
    if (conn.expiry) clearTimeout(conn.expiry);
    this.send(conn, { type: 'closed', code, reason });
    conn.closed = true;
    this.conns.delete(conn);
    conn.res.end();
  }

  private onNotice(n: Notice): void {
    if (n.t === 'doc') {
      for (const conn of this.conns) {
        const scope = readScope(conn.principal, n.c);
        const shared = n.sh?.includes('*') || scope.sharedFor.some((o) => n.sh?.includes(o));
        // Members of the org a document moved out of need its tombstone too.
        if (canReadOrg(conn.principal, n.c, n.o) || scope.all || shared || n.mv) {
          conn.dirty.add(n.c);
          void this.flush(conn);
        }
      }
    } else if (n.t === 'scope') {
      for (const conn of this.conns) {
        if ((n.u && conn.principal.userId === n.u) || (n.o && n.o in conn.principal.memberships)) void this.rescope(conn);
      }
    } else if (n.t === 'revoke') {
      for (const conn of this.conns) {
        const hit =
          (n.sid && conn.auth.sessionId === n.sid) ||
          (n.tok && conn.auth.tokenId === n.tok) ||
          (n.u && conn.principal.userId === n.u);
        if (hit) void this.rescope(conn, false);
      }
    }
  }

  /** Authenticates again; a stream whose credential no longer holds is closed at once. */
  private async rescope(conn: StreamConn, announce = true): Promise<void> {
    try {
      const auth = await conn.reauth();
      conn.auth = auth;
      conn.principal = auth.principal;
      if (announce) this.send(conn, { type: 'resync', reason: 'scope-changed' });
    } catch (err) {
      const code = (err as { code?: string }).code === 'SESSION_REVOKED' ? 'SESSION_REVOKED' : 'UNAUTHENTICATED';
      this.close(conn, code, (err as Error).message);
    }
  }

  private async flush(conn: StreamConn): Promise<void> {
    if (conn.flushing) return;
    conn.flushing = true;
    try {
      while (conn.dirty.size > 0 && !conn.closed) {
        const kind = conn.dirty.values().next().value as CollectionName;
        conn.dirty.delete(kind);
        for (;;) {
          const after = conn.seq.get(kind) ?? 0;
          const scope = readScope(conn.principal, kind);
          const docs = await withScope(this.db, scope, (c) => pullChanges(c, kind, scope, after, BATCH));
          if (docs.length === 0) break;
          const last = docs[docs.length - 1]!.seq;
          conn.seq.set(kind, last);
          this.send(conn, {
            type: 'changes',
            collection: kind,
            documents: docs.map(toWire),
            checkpoint: encodeCheckpoint(last, scope),
          });
          if (docs.length < BATCH) break;
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'stream flush failed; asking the client to resync');
      this.send(conn, { type: 'resync', reason: 'connected' });
    } finally {
      conn.flushing = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const conn of [...this.conns]) {
      if (conn.expiry) clearTimeout(conn.expiry);
      conn.closed = true;
      conn.res.end();
    }
    this.conns.clear();
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }
}
