/**
 * Runs one print-farm task in a fresh worker thread and resolves with its result; the worker
 * ends with the task, so nothing stays open. Under tsx or vitest (a .ts worker file) the worker
 * first registers tsx's loader; compiled code loads the .js worker directly.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FarmReply, FarmTask, FarmTaskResult } from './farmWorkerApi.js';

const TASK_TIMEOUT_MS = 120_000;
/** At most this many farm workers at once; further tasks wait their turn. */
const MAX_CONCURRENT = Math.max(1, Math.min(4, availableParallelism() - 1));
let running = 0;
const waiting: (() => void)[] = [];

async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running += 1;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over by release()
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

function startWorker(task: FarmTask): Worker {
  const entry = new URL(`./farmWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: task });
  // require.resolve finds the CommonJS build; its ES module twin sits beside it.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData: task });
}

export async function runFarmTask<K extends FarmTask['kind']>(task: Extract<FarmTask, { kind: K }>): Promise<FarmTaskResult[K]> {
  await acquire();
  try {
    return await runInWorker<K>(task);
  } finally {
    release();
  }
}

function runInWorker<K extends FarmTask['kind']>(task: Extract<FarmTask, { kind: K }>): Promise<FarmTaskResult[K]> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(task);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`farm worker task ${task.kind} timed out`))), TASK_TIMEOUT_MS);
    worker.once('message', (reply: FarmReply) =>
      finish(() => (reply.ok ? resolve(reply.value as FarmTaskResult[K]) : reject(new Error(reply.error)))),
    );
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`farm worker exited (${code}) before answering`))));
  });
}
