import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv, type TestUser } from './support/testServer.js';
import { call } from './support/http.js';
import { eventually } from './support/nodeReplica.js';
import { printerDoc, row } from './support/docs.js';

let env: TestEnv;
let orgA: string;
let orgB: string;
let alice: TestUser; // operator in A (may edit printers? operators update printers)
let victor: TestUser; // viewer in A
let bob: TestUser; // admin of B
let room: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Notes A');
  orgB = await env.org('Notes B');
  alice = await env.user('alice@notes.test', { [orgA]: 'operator' });
  victor = await env.user('victor@notes.test', { [orgA]: 'viewer' });
  bob = await env.user('bob@notes.test', { [orgB]: 'admin' });
  const admin = await env.user('admin@notes.test', { [orgA]: 'admin' });
  const p = printerDoc(orgA, { name: 'Noted printer' });
  await call(env.url, '/api/sync/printers/push', { body: { rows: [row(p)] }, token: admin.token });
  room = `printers:${p.id}`;
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await env.stop();
});

async function ticket(u: TestUser, r = room, baseUrl = env.url) {
  return call<{ ticket: string; readOnly: boolean }>(baseUrl, '/api/yjs/tickets', { body: { room: r }, token: u.token });
}

/** A y-websocket client whose every (re)connect fetches a fresh single-use ticket. */
async function connect(u: TestUser, baseUrl = env.url) {
  const doc = new Y.Doc();
  const t = await ticket(u, room, baseUrl);
  expect(t.status).toBe(200);
  const provider = new WebsocketProvider(baseUrl.replace('http', 'ws') + '/yjs', room, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: { ticket: t.body.ticket },
    disableBc: true,
  });
  providers.push(provider);
  const closes: number[] = [];
  provider.on('connection-close', (e: { code: number } | null) => {
    if (e) closes.push(e.code);
    provider.shouldConnect = false;
  });
  await eventually(() => provider.synced, 5000, 'yjs synced');
  return { doc, provider, closes, text: doc.getText('notes') };
}

describe('collaborative notes over y-websocket', () => {
  it('needs a ticket, refuses a reused one and other orgs', async () => {
    const raw = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    const wsBase = env.url.replace('http', 'ws');
    expect(await raw(`${wsBase}/yjs/${room}`)).toBe(401);
    const t = await ticket(alice);
    expect(await raw(`${wsBase}/yjs/${room}?ticket=${t.body.ticket}`)).toBe(101);
    expect(await raw(`${wsBase}/yjs/${room}?ticket=${t.body.ticket}`)).toBe(401);
    expect((await ticket(bob)).status).toBe(403);
    // A ticket for one room does not open another.
    const other = await ticket(alice);
    expect(await raw(`${wsBase}/yjs/printers:${crypto.randomUUID()}?ticket=${other.body.ticket}`)).toBe(401);
  });

  it('edits from two clients converge and persist; a viewer reads but cannot write', async () => {
    const a = await connect(alice);
    const v = await connect(victor);
    a.text.insert(0, 'Nozzle swapped to 0.6 mm. ');
    await eventually(() => v.text.toString().includes('Nozzle swapped'), 5000, 'viewer sees the edit');
    v.text.insert(0, 'VANDALISM ');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.text.toString()).not.toContain('VANDALISM');
    const stored = await env.db.query('SELECT count(*)::int AS n FROM yjs_updates WHERE room = $1', [room]);
    expect(stored.rows[0].n).toBeGreaterThan(0);

    // Another instance loads the stored notes and receives live edits through NOTIFY.
    const second = await env.startInstance();
    const b = await connect(alice, second.url);
    expect(b.text.toString()).toContain('Nozzle swapped');
    a.text.insert(a.text.length, 'Bed levelled.');
    await eventually(() => b.text.toString().includes('Bed levelled.'), 5000, 'cross-instance edit');
  });

  it('a revoked session closes its Yjs socket within one second', async () => {
    const login = await call<{ accessToken: string }>(env.url, '/api/auth/login', {
      body: { email: 'alice@notes.test', password: 'Correct-Horse-42' },
    });
    const session: TestUser = { ...alice, token: login.body.accessToken };
    const c = await connect(session);
    expect((await call(env.url, '/api/auth/logout', { method: 'POST', token: session.token })).status).toBe(204);
    await eventually(() => c.closes.includes(4401), 1000, 'socket closed with 4401 within a second');
  });

  it('a malformed message closes only that socket', async () => {
    const t = await ticket(alice);
    const ws = new WebSocket(`${env.url.replace('http', 'ws')}/yjs/${room}?ticket=${t.body.ticket}`);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((r) => ws.on('open', r));
    ws.send(Buffer.from([0, 9, 255, 255, 255]));
    expect(await closed).toBe(1003);
    const fine = await connect(alice);
    expect(fine.text.toString()).toContain('Nozzle swapped');
  });
});
