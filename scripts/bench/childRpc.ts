/**
 * Request/reply over the IPC channel of a forked bench child (the bridge, the device host):
 * every call has a timeout, and the parent can always end the child it started.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Request {
  rpc: number;
  method: string;
  params?: unknown;
}
type Reply = { rpc: number; ok: true; value: unknown } | { rpc: number; ok: false; error: string };

export type Handlers = Record<string, (params: never) => Promise<unknown>>;

/** Child side: answers requests with `handlers`; `onParentGone` runs when the IPC channel closes. */
export function serveRpc(handlers: Handlers, onParentGone: () => Promise<void>): void {
  if (!process.send) throw new Error('this script is a bench child: start it with fork()');
  process.on('message', (message: Request) => {
    const handler = handlers[message.method];
    const reply = (r: Reply) => process.connected && process.send!(r);
    if (!handler) return reply({ rpc: message.rpc, ok: false, error: `unknown method ${message.method}` });
    handler(message.params as never).then(
      (value) => reply({ rpc: message.rpc, ok: true, value }),
      (error: unknown) =>
        reply({ rpc: message.rpc, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.once('disconnect', () => {
    void onParentGone().finally(() => process.exit(0));
  });
}

/** Parent side: a forked TypeScript child (run through tsx) and calls into it. */
export class BenchChild {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private next = 1;
  private stderr = '';
  private readonly exited: Promise<void>;

  constructor(
    file: string,
    private readonly label: string,
  ) {
    this.child = fork(path.resolve(ROOT, file), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-3000)));
    this.child.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.rpc);
      if (!waiting) return;
      this.pending.delete(reply.rpc);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`${this.label}: ${reply.error}`));
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        for (const w of this.pending.values())
          w.reject(new Error(`${this.label} exited (${signal ?? code}); stderr: ${this.stderr.trim().slice(-800)}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<T>(method: string, params: unknown, timeoutMs: number): Promise<T> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.connected)
      return Promise.reject(new Error(`${this.label} is not running; stderr: ${this.stderr.trim().slice(-800)}`));
    const rpc = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rpc);
        reject(new Error(`${this.label}: ${method} got no answer within ${Math.round(timeoutMs)} ms`));
      }, timeoutMs);
      this.pending.set(rpc, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ rpc, method, params } satisfies Request);
    });
  }

  /** Asks the child to stop (`method`), then closes the channel; SIGKILL if it has not exited after `timeoutMs`. */
  async stop(method: string, timeoutMs: number): Promise<unknown> {
    let value: unknown;
    try {
      value = await this.call(method, undefined, timeoutMs);
    } catch (error) {
      value = { error: error instanceof Error ? error.message : String(error) };
    }
    if (this.child.connected) this.child.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
        resolve();
      }, 5_000);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
    return value;
  }
}
