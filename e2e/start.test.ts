/**
 * The first of the two commands: `npm start` on a machine with no DATABASE_URL starts the
 * embedded PostgreSQL, migrates, seeds once, serves API and PWA; Ctrl-C stops every process;
 * a second start keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = 18_000 + Math.floor(Math.random() * 2000);
const pgPort = 56_000 + Math.floor(Math.random() * 2000);
let dataDir = '';

function start(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const child = spawn('npx', ['tsx', 'scripts/start.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  child.stdout!.on('data', (d) => (buf += d));
  child.stderr!.on('data', (d) => (buf += d));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (buf.includes('Fleetsync is running at')) {
        clearInterval(t);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(t);
      reject(new Error(`npm start exited early (${code}):\n${buf}`));
    });
  });
  return { child, output: () => buf, ready };
}

/** Ctrl-C in a terminal signals the whole process group. */
async function ctrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

function portOpen(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(p, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Every process is gone once nothing listens on the server's and the database's ports. */
async function closedWithin(p: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (await portOpen(p)) {
    if (Date.now() > until) throw new Error(`port ${p} still open after Ctrl-C`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function login(email: string, password: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: (await res.json()) as { token: string } };
}

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts everything on embedded PostgreSQL, stops on Ctrl-C, and keeps the data on a second start', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-start-'));
    const first = start();
    await first.ready;
    const out = first.output();
    expect(out).toContain(`Fleetsync is running at http://127.0.0.1:${port}`);
    const email = /email:\s+(\S+)/.exec(out)![1]!;
    const password = /password:\s+(\S+)/.exec(out)![1]!;

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({ status: 'ready' });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('<div id="root">');

    const { status, body } = await login(email, password);
    expect(status).toBe(200);
    const pulled = await fetch(`http://127.0.0.1:${port}/api/sync/printers/pull`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.token}`, 'x-fleetsync-protocol': '1', 'content-type': 'application/json' },
      body: '{}',
    });
    const demoPrinters = ((await pulled.json()) as { documents: { id: string }[] }).documents.map((d) => d.id);
    expect(demoPrinters.length).toBeGreaterThan(0);

    await ctrlC(first.child);
    await closedWithin(port, 15_000);
    await closedWithin(pgPort, 15_000);
    expect(first.output()).toContain('SIGINT: stopping');

    const second = start();
    await second.ready;
    expect(second.output()).not.toContain('password:');
    const again = await login(email, password);
    expect(again.status).toBe(200);
    const pulledAgain = await fetch(`http://127.0.0.1:${port}/api/sync/printers/pull`, {
      method: 'POST',
      headers: { authorization: `Bearer ${again.body.token}`, 'x-fleetsync-protocol': '1', 'content-type': 'application/json' },
      body: '{}',
    });
    const ids = ((await pulledAgain.json()) as { documents: { id: string }[] }).documents.map((d) => d.id);
    expect(ids.sort()).toEqual(demoPrinters.sort());
    await ctrlC(second.child);
    await closedWithin(port, 15_000);
    await closedWithin(pgPort, 15_000);
  });
});
