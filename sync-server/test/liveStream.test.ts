import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from './support/testServer.js';
import { eventually, nodeReplica } from './support/nodeReplica.js';
import { printerDoc, row } from './support/docs.js';

let env: TestEnv;
let orgA: string;
let orgB: string;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Stream A');
  orgB = await env.org('Stream B');
  alice = await env.user('alice@stream.test', { [orgA]: 'admin' });
  bob = await env.user('bob@stream.test', { [orgB]: 'admin' });
});
afterAll(async () => {
  await env.stop();
});

/** Reads raw stream events, as any client would, until stopped. */
function openStream(baseUrl: string, token: string) {
  const events: StreamEvent[] = [];
  const ctrl = new AbortController();
  let ended = false;
  const done = (async () => {
    try {
      const res = await fetch(`${baseUrl}/api/sync/stream`, {
        headers: { authorization: `Bearer ${token}`, 'x-fleetsync-protocol': '1' },
        signal: ctrl.signal,
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done: d } = await reader.read();
        if (d) break;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data:'));
          if (data) events.push(JSON.parse(data.slice(5)) as StreamEvent);
        }
      }
    } catch {
      // aborted
    } finally {
      ended = true;
    }
  })();
  return { events, ended: () => ended, close: async () => (ctrl.abort(), await done) };
}

const changedIds = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'changes' ? e.documents.map((d) => d.id) : []));

describe('live stream', () => {
  it('SPEC S-L1, S-L2, S-L5: starts with hello and streams only in-scope changes of every collection', async () => {
    const aStream = openStream(env.url, alice.token);
    const bStream = openStream(env.url, bob.token);
    await eventually(() => aStream.events.length > 0 && bStream.events.length > 0, 5000, 'hello');
    expect(aStream.events[0]).toMatchObject({ type: 'hello', protocolVersion: 1 });

    const a = printerDoc(orgA);
    const b = printerDoc(orgB);
    await alice.json('/api/sync/printers/push', { body: { rows: [row(a)] } });
    await bob.json('/api/sync/printers/push', { body: { rows: [row(b)] } });
    // Bob seeing his own change proves the stream delivered everything before it.
    await eventually(() => changedIds(bStream.events).includes(b.id), 5000, 'bob change');
    await eventually(() => changedIds(aStream.events).includes(a.id), 5000, 'alice change');
    expect(changedIds(bStream.events)).not.toContain(a.id);
    expect(changedIds(aStream.events)).not.toContain(b.id);
    await aStream.close();
    await bStream.close();
  });

  it('SPEC S-L3: a push to one server instance streams out of another on the same database', async () => {
    const second = await env.startInstance();
    const onSecond = openStream(second.url, alice.token);
    await eventually(() => onSecond.events.length > 0, 5000, 'hello on second instance');
    const p = printerDoc(orgA, { name: 'pushed to instance 1' });
    const res = await alice.json('/api/sync/printers/push', { body: { rows: [row(p)] } });
    expect(res.status).toBe(200);
    await eventually(() => changedIds(onSecond.events).includes(p.id), 5000, 'change via NOTIFY');
    await onSecond.close();
  });

  it('SPEC S-A2, S-A3: the stream refuses a missing token and closes when its session is revoked', async () => {
    const anon = await fetch(`${env.url}/api/sync/stream?token=${alice.token}`, { headers: { 'x-fleetsync-protocol': '1' } });
    expect(anon.status).toBe(401);

    const victim = await env.user('victim@stream.test', { [orgA]: 'operator' });
    const s = openStream(env.url, victim.token);
    await eventually(() => s.events.length > 0, 5000, 'hello');
    const logout = await victim.api('/api/auth/logout', { method: 'POST' });
    expect(logout.status).toBe(204);
    await eventually(() => s.ended(), 1000, 'stream closed within one second of revocation');
    expect(s.events.at(-1)).toMatchObject({ type: 'closed', code: 'SESSION_REVOKED' });
    const after = await victim.api('/api/sync/printers/pull', { body: {} });
    expect(after.status).toBe(401);
  });
});

describe('RxDB replicas over the real protocol', () => {
  it('SPEC S-C1: an edit on one replica reaches another of the same org, never one of another org', async () => {
    const r1 = await nodeReplica(env.url, alice.token, ['printers']);
    const r2 = await nodeReplica(env.url, alice.token, ['printers']);
    const rb = await nodeReplica(env.url, bob.token, ['printers']);
    try {
      await Promise.all([r1.awaitInSync(), r2.awaitInSync(), rb.awaitInSync()]);
      const doc = printerDoc(orgA, { name: 'from replica 1', clock: {} });
      await r1.collections.printers!.insert(doc);
      await eventually(async () => (await r2.collections.printers!.findOne(doc.id).exec()) !== null, 10_000, 'r2 receives');
      const got = (await r2.collections.printers!.findOne(doc.id).exec())!.toJSON() as Record<string, unknown>;
      expect(got.name).toBe('from replica 1');
      expect(got.createdBy).toBe(alice.id);

      // A marker written in B after the A change: once Bob's replica has it, it has seen everything before.
      const marker = printerDoc(orgB, { clock: {} });
      await rb.collections.printers!.insert(marker);
      await rb.awaitInSync();
      await eventually(async () => (await rb.collections.printers!.findOne(marker.id).exec()) !== null);
      expect(await rb.collections.printers!.findOne(doc.id).exec()).toBeNull();
    } finally {
      await Promise.all([r1.close(), r2.close(), rb.close()]);
    }
  });

  it('SPEC S-P8: a rejected write reverts to the server state and is reported, not retried', async () => {
    const rb = await nodeReplica(env.url, bob.token, ['printers']);
    try {
      const forged = printerDoc(orgA, { name: 'bob forging A', clock: {} });
      await rb.collections.printers!.insert(forged);
      await eventually(() => rb.rejections.length > 0, 10_000, 'rejection reported');
      expect(rb.rejections[0]).toMatchObject({ collection: 'printers', rejection: { id: forged.id, code: 'ORG_FORBIDDEN' } });
      expect(rb.rejections[0]!.attempted.name).toBe('bob forging A');
      await eventually(async () => (await rb.collections.printers!.findOne(forged.id).exec()) === null, 10_000, 'local revert');
      await rb.awaitInSync();
      expect(rb.rejections).toHaveLength(1);
    } finally {
      await rb.close();
    }
  });

  it('SPEC S-C1, S-C2: concurrent offline edits of different fields both survive; the same field converges', async () => {
    const r1 = await nodeReplica(env.url, alice.token, ['printers']);
    const r2 = await nodeReplica(env.url, alice.token, ['printers']);
    try {
      const doc = printerDoc(orgA, { name: 'shared', location: 'Bay 1', clock: {} });
      await r1.collections.printers!.insert(doc);
      await r1.awaitInSync();
      await eventually(async () => (await r2.collections.printers!.findOne(doc.id).exec()) !== null);
      await Promise.all([r1.goOffline(), r2.goOffline()]);
      await (await r1.collections.printers!.findOne(doc.id).exec())!.incrementalPatch({ name: 'renamed on r1', progress: 10 });
      await (await r2.collections.printers!.findOne(doc.id).exec())!.incrementalPatch({ location: 'Bay 9', progress: 20 });
      r1.goOnline();
      await r1.awaitInSync();
      r2.goOnline();
      await r2.awaitInSync();
      await r1.awaitInSync();
      await eventually(
        async () => {
          const a = (await r1.collections.printers!.findOne(doc.id).exec())!.toJSON() as Record<string, unknown>;
          const b = (await r2.collections.printers!.findOne(doc.id).exec())!.toJSON() as Record<string, unknown>;
          return a.location === 'Bay 9' && b.name === 'renamed on r1' && a.progress === b.progress;
        },
        10_000,
        'convergence',
      );
      const final = (await env.db.query("SELECT data FROM documents WHERE collection='printers' AND id=$1", [doc.id])).rows[0]
        .data;
      expect(final).toMatchObject({ name: 'renamed on r1', location: 'Bay 9', progress: 20 });
    } finally {
      await Promise.all([r1.close(), r2.close()]);
    }
  });
});
