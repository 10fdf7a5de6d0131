/**
 * The main-thread side of the metadata worker: `createMetadataClient()` starts one worker thread
 * and returns the typed API plus close(). Under tsx or vitest (a .ts worker file) the worker first
 * registers tsx's loader; a built bridge loads the compiled .js worker directly.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { releaseProxy, wrap, type Remote } from 'comlink';
import type { MetadataWorkerApi } from './metadataApi.js';
import { nodeEndpoint } from './nodeEndpoint.js';

export interface MetadataClient {
  readonly api: Remote<MetadataWorkerApi>;
  close(): Promise<void>;
}

function startWorker(): Worker {
  const entry = new URL(`./metadataWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  // require.resolve finds the CommonJS build; its ES module twin sits beside it.
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
}

export function createMetadataClient(): MetadataClient {
  const worker = startWorker();
  const api = wrap<MetadataWorkerApi>(nodeEndpoint(worker));
  return {
    api,
    async close() {
      api[releaseProxy]();
      await worker.terminate();
    },
  };
}
