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
import { loadPrincipal } from '../identity/principals.js';
import { sessionIsLive } from '../auth/sessions.js';
import { encodeCheckpoint } from './checkpoint.js';
import { CHANGES_CHANNEL, currentSeq, pullChanges, toWire } from './documentStore.js';
import { canReadOrg, readScope } from './readScope.js';

type Notice =
  { t: 'doc'; c: CollectionName; o: string; s: number } | { t: 'scope'; u: string } | { t: 'revoke'; sid?: string; u?: string };

interface StreamConn {
  principal: Principal;
  sessionId: string;
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
  private listener: pg.Client | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    private readonly log: Logger,
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
        this.onNotice(JSON.parse(msg.payload) as Notice);
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

  get size(): number {
    return this.conns.size;
  }

  async attach(principal: Principal, sessionId: string, res: Response): Promise<void> {
    const seq = await currentSeq(this.db);
    const conn: StreamConn = {
      principal,
      sessionId,
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
    res.on('close', () => {
      conn.closed = true;
      this.conns.delete(conn);
    });
    // The client pulls from its own checkpoint on hello; the stream carries what follows.
    this.send(conn, { type: 'hello', protocolVersion: 1, sessionId });
  }

  private send(conn: StreamConn, event: StreamEvent): void {
    if (!conn.closed) conn.res.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  private close(conn: StreamConn, code: string, reason: string): void {
    this.send(conn, { type: 'closed', code, reason });
    conn.closed = true;
    this.conns.delete(conn);
    conn.res.end();
  }

  private onNotice(n: Notice): void {
    if (n.t === 'doc') {
      for (const conn of this.conns) {
        if (canReadOrg(conn.principal, n.c, n.o) || readScope(conn.principal, n.c).all) {
          conn.dirty.add(n.c);
          void this.flush(conn);
        }
      }
    } else if (n.t === 'scope') {
      for (const conn of this.conns) if (conn.principal.userId === n.u) void this.rescope(conn);
    } else if (n.t === 'revoke') {
      for (const conn of this.conns) {
        if ((n.sid && conn.sessionId === n.sid) || (n.u && conn.principal.userId === n.u)) void this.recheck(conn);
      }
    }
  }

  private async recheck(conn: StreamConn): Promise<void> {
    if (!(await sessionIsLive(this.db, conn.sessionId))) this.close(conn, 'SESSION_REVOKED', 'this session was signed out');
  }

  private async rescope(conn: StreamConn): Promise<void> {
    const principal = await loadPrincipal(this.db, conn.principal.userId);
    if (!principal) return this.close(conn, 'UNAUTHENTICATED', 'the account is no longer active');
    conn.principal = principal;
    this.send(conn, { type: 'resync', reason: 'scope-changed' });
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
          const docs = await pullChanges(this.db, kind, readScope(conn.principal, kind), after, BATCH);
          if (docs.length === 0) break;
          const last = docs[docs.length - 1]!.seq;
          conn.seq.set(kind, last);
          this.send(conn, { type: 'changes', collection: kind, documents: docs.map(toWire), checkpoint: encodeCheckpoint(last) });
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
      conn.closed = true;
      conn.res.end();
    }
    this.conns.clear();
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }
}
