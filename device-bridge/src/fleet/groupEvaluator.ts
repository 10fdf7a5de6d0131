/**
 * Dynamic-group evaluation for large fleets: `createGroupEvaluator()` starts a worker thread
 * and splits the devices over it in chunks, so the bridge's event loop (MQTT, leases, the
 * artifact server) stays responsive while tens of thousands of devices are evaluated. Under
 * tsx or vitest (a .ts worker file) the worker first registers tsx's loader, as the metadata
 * worker does.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { releaseProxy, wrap, type Remote } from 'comlink';
import { nodeEndpoint } from '../metadata/nodeEndpoint.js';
import type { GroupEvaluatorApi } from './groupEvaluatorApi.js';
import type { GroupDefinition, GroupSubject, RuleNode } from './sharedFleet.js';

export interface GroupEvaluator {
  memberships(devices: GroupSubject[], groups: GroupDefinition[], nowMs?: number): Promise<Record<string, string[]>>;
  matching(rule: RuleNode, devices: GroupSubject[], nowMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

const CHUNK = 5000;

function startWorker(): Worker {
  const entry = new URL(`./groupEvaluatorWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
}

export function createGroupEvaluator(): GroupEvaluator {
  const worker = startWorker();
  const api: Remote<GroupEvaluatorApi> = wrap<GroupEvaluatorApi>(nodeEndpoint(worker));
  return {
    async memberships(devices, groups, nowMs = Date.now()) {
      const out: Record<string, string[]> = {};
      for (let i = 0; i < devices.length; i += CHUNK)
        Object.assign(out, await api.memberships(devices.slice(i, i + CHUNK), groups, nowMs));
      return out;
    },
    async matching(rule, devices, nowMs = Date.now()) {
      const out: string[] = [];
      for (let i = 0; i < devices.length; i += CHUNK) out.push(...(await api.matching(rule, devices.slice(i, i + CHUNK), nowMs)));
      return out;
    },
    async close() {
      api[releaseProxy]();
      await worker.terminate();
    },
  };
}
