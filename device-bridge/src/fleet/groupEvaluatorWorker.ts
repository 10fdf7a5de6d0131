/**
 * Worker thread: evaluates dynamic-group rules for large fleets off the bridge's main thread,
 * with the same pure code as the server and the PWA (shared/src/fleet/groupRules.ts).
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import { nodeEndpoint } from '../metadata/nodeEndpoint.js';
import type { GroupEvaluatorApi } from './groupEvaluatorApi.js';
import { computeMemberships, evaluateRule } from './sharedFleet.js';

const api: GroupEvaluatorApi = {
  async memberships(devices, groups, nowMs) {
    const out: Record<string, string[]> = {};
    for (const d of devices) out[d.id] = computeMemberships(d, groups, nowMs);
    return out;
  },
  async matching(rule, devices, nowMs) {
    return devices.filter((d) => evaluateRule(rule, d, nowMs)).map((d) => d.id);
  },
};

if (!parentPort) throw new Error('groupEvaluatorWorker must run in a worker thread');
expose(api, nodeEndpoint(parentPort));
