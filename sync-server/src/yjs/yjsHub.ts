/**
 * Collaborative notes over y-websocket, behind the same authentication and authorization as
 * sync. A socket is accepted only after its ticket is redeemed and the room (a replicated
 * document) is readable; updates from principals who may not edit the document are dropped.
 * Updates are stored in PostgreSQL and fanned out to other instances by NOTIFY. A revoked
 * session or token closes its sockets (code 4401).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import { can, getCollection, type Principal } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { authFromSession, authFromTokenRecord, type AuthDeps, type Authenticated } from '../auth/authenticate.js';
import { liveTokenById } from '../auth/apiTokens.js';
import { docOrgs, CHANGES_CHANNEL } from '../sync/documentStore.js';
import { redeemTicket, TICKET_TTL_SECONDS } from './tickets.js';

const MSG_SYNC = 0;
const MSG_AWARENESS = 1;
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

interface Conn {
  ws: WebSocket;
  auth: Authenticated;
  /** When the ticket was issued: a later "not valid before" stamp ends the socket. */
  issuedAt: number;
  canWrite: boolean;
  room: Room;
  /** Awareness client ids this socket controls (removed when it closes). */
  controlled: Set<number>;
}
interface Room {
  name: string;
  orgId: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Set<Conn>;
  lastSeq: number;
  loading: Promise<void>;
}

/** `printers:<id>` -> the replicated document it annotates, and whether the principal may read/edit it. */
export async function authorizeRoom(
  db: Db,
  principal: Principal,
  room: string,
): Promise<{ orgId: string; canWrite: boolean } | null> {
  const [kind, id] = room.split(':');
  const def = kind ? getCollection(kind) : undefined;
  if (!def || !id) return null;
  const orgId = (await withScope(db, { all: false, orgIds: [] }, (c) => docOrgs(c, def.name, [id]))).get(id);
  if (!orgId || !can(principal, `${def.name}.read`, { orgId })) return null;
  return { orgId, canWrite: can(principal, `${def.name}.update`, { orgId }) };
}

export class YjsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
  private readonly rooms = new Map<string, Room>();
  private readonly instance = randomUUID();

  constructor(
    private readonly db: Db,
    private readonly deps: AuthDeps,
    private readonly log: Logger,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!url.pathname.startsWith('/yjs/')) return;
      void this.upgrade(req, socket, head, decodeURIComponent(url.pathname.slice(5)), url.searchParams.get('ticket') ?? '');
    });
  }

  private reject(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /** Everything is checked before the socket exists: no message can apply before auth. */
  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, roomName: string, ticket: string): Promise<void> {
    try {
      const claims = await redeemTicket(this.db, this.deps.policy.keys.signing, ticket, roomName);
      if (!claims) return this.reject(socket, 401, 'Unauthorized');
      const issuedAt = claims.exp - TICKET_TTL_SECONDS;
      let auth: Authenticated | null = null;
      if (claims.sid) auth = await authFromSession(this.deps, claims.sid, issuedAt);
      else if (claims.tok) {
        const record = await liveTokenById(this.db, claims.tok);
        auth = record ? await authFromTokenRecord(this.db, record) : null;
      }
      if (!auth || auth.principal.userId !== claims.sub) return this.reject(socket, 401, 'Unauthorized');
      const access = await authorizeRoom(this.db, auth.principal, roomName);
      if (!access) return this.reject(socket, 403, 'Forbidden');
      const room = await this.openRoom(roomName, access.orgId);
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.accept(ws, { ws, auth: auth!, issuedAt, canWrite: access.canWrite, room, controlled: new Set() }),
      );
    } catch (err) {
      this.log.warn({ err }, 'yjs upgrade failed');
      this.reject(socket, 500, 'Internal Server Error');
    }
  }

  private async openRoom(name: string, orgId: string): Promise<Room> {
    let room = this.rooms.get(name);
    if (!room) {
      const doc = new Y.Doc();
      const created: Room = {
        name,
        orgId,
        doc,
        awareness: new awarenessProtocol.Awareness(doc),
        conns: new Set(),
        lastSeq: 0,
        loading: Promise.resolve(),
      };
      created.awareness.setLocalState(null);
      created.loading = this.catchUp(created);
      doc.on('update', (update: Uint8Array, origin: unknown) => this.onLocalUpdate(created, update, origin));
      created.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
        const changed = [...added!, ...updated!, ...removed!];
        const owner = origin as Conn | null;
        if (owner && typeof owner === 'object' && 'controlled' in owner) {
          for (const id of [...added!, ...updated!]) owner.controlled.add(id);
          for (const id of removed!) owner.controlled.delete(id);
        }
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_AWARENESS);
        encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(created.awareness, changed));
        const msg = encoding.toUint8Array(enc);
        for (const c of created.conns) if (c !== origin) c.ws.send(msg);
      });
      this.rooms.set(name, created);
      room = created;
    }
    await room.loading;
    return room;
  }

  /** Applies stored updates this instance has not seen yet (first open, or NOTIFY from another instance). */
  private async catchUp(room: Room): Promise<void> {
    const rows = await withScope(this.db, { all: false, orgIds: [room.orgId] }, (c) =>
      c.query<{ seq: number; update: Buffer }>('SELECT seq, update FROM yjs_updates WHERE room = $1 AND seq > $2 ORDER BY seq', [
        room.name,
        room.lastSeq,
      ]),
    );
    for (const r of rows.rows) {
      Y.applyUpdate(room.doc, new Uint8Array(r.update), 'storage');
      room.lastSeq = r.seq;
    }
  }

  private onLocalUpdate(room: Room, update: Uint8Array, origin: unknown): void {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    syncProtocol.writeUpdate(enc, update);
    const msg = encoding.toUint8Array(enc);
    for (const c of room.conns) if (c !== origin) c.ws.send(msg);
    if (origin === 'storage') return;
    void withScope(this.db, { all: false, orgIds: [room.orgId] }, async (c) => {
      const res = await c.query<{ seq: number }>(
        'INSERT INTO yjs_updates (room, org_id, update) VALUES ($1, $2, $3) RETURNING seq',
        [room.name, room.orgId, Buffer.from(update)],
      );
      room.lastSeq = Math.max(room.lastSeq, res.rows[0]!.seq);
      await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ t: 'yjs', r: room.name, i: this.instance })]);
    }).catch((err: unknown) => this.log.error({ err }, 'could not persist a yjs update'));
  }

  private accept(ws: WebSocket, conn: Conn): void {
    const { room } = conn;
    room.conns.add(conn);
    ws.on('message', (data: Buffer) => this.onMessage(conn, new Uint8Array(data)));
    ws.on('close', () => {
      room.conns.delete(conn);
      awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.controlled], null);
    });
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    syncProtocol.writeSyncStep1(enc, room.doc);
    ws.send(encoding.toUint8Array(enc));
  }

  private onMessage(conn: Conn, data: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MSG_SYNC) {
        const peek = decoding.createDecoder(data);
        decoding.readVarUint(peek);
        const syncType = decoding.readVarUint(peek);
        // Read-only members may ask for state (step 1) but their edits are not applied.
        if (!conn.canWrite && syncType !== syncProtocol.messageYjsSyncStep1) return;
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_SYNC);
        syncProtocol.readSyncMessage(decoder, enc, conn.room.doc, conn);
        if (encoding.length(enc) > 1) conn.ws.send(encoding.toUint8Array(enc));
      } else if (type === MSG_AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(conn.room.awareness, decoding.readVarUint8Array(decoder), conn);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'malformed yjs message; closing the socket');
      conn.ws.close(1003, 'malformed message');
    }
  }

  /** Called for every change notice (from any instance). */
  onNotice(n: { t: string; r?: string; i?: string; sid?: string; u?: string; tok?: string }): void {
    if (n.t === 'yjs' && n.r && n.i !== this.instance) {
      const room = this.rooms.get(n.r);
      if (room) void this.catchUp(room).catch((err: unknown) => this.log.warn({ err }, 'yjs catch-up failed'));
    } else if (n.t === 'revoke') {
      for (const room of this.rooms.values()) {
        for (const c of room.conns) {
          const hit =
            (n.sid && c.auth.sessionId === n.sid) ||
            (n.tok && c.auth.tokenId === n.tok) ||
            (n.u && c.auth.principal.userId === n.u);
          if (hit) void this.recheck(c);
        }
      }
    } else if (n.t === 'scope') {
      for (const room of this.rooms.values()) for (const c of room.conns) void this.recheck(c);
    }
  }

  private async recheck(c: Conn): Promise<void> {
    const still = c.auth.sessionId
      ? await authFromSession(this.deps, c.auth.sessionId, c.issuedAt)
      : c.auth.tokenId && (await liveTokenById(this.db, c.auth.tokenId))
        ? c.auth
        : null;
    if (!still) return c.ws.close(CLOSE_UNAUTHORIZED, 'session revoked');
    const access = await authorizeRoom(this.db, still.principal, c.room.name);
    if (!access) return c.ws.close(CLOSE_FORBIDDEN, 'no longer allowed');
    c.canWrite = access.canWrite;
  }

  get connectionCount(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.conns.size;
    return n;
  }

  async stop(): Promise<void> {
    for (const room of this.rooms.values()) {
      for (const c of room.conns) c.ws.terminate();
      room.doc.destroy();
    }
    this.rooms.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
