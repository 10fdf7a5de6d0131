/** The scenario specs: each pull group pairs the raw-fetch baseline with a replica, push likewise. */
import type { RunningServer } from '@fleetsync/sync-server';
import type { ScenarioSpec } from './runner.js';
import { createTenant, type Tenant } from './server.js';
import * as S from './syncBench.js';

/** Raw fetch loop (baseline) and a fresh replica pulling the same `docs` of one tenant. */
export function pullSpecs(
  group: string,
  t: Tenant,
  docs: number,
  batch: number | undefined,
  capMs: number,
  times: number,
): ScenarioSpec[] {
  const batchSize = batch ?? S.DEFAULT_PULL_BATCH;
  const base = { group, docs, batchSize, capMs, times };
  return [
    { ...base, name: S.RAW_PULL, baseline: true, run: (ms) => S.rawPull(t, docs, batchSize, ms) },
    { ...base, name: S.REPLICA_PULL, baseline: false, run: (ms) => S.replicaPull(t, docs, batch, ms) },
  ];
}

/** Raw HTTP push in batches of 500 (baseline), then replicas with the default and a 500 batch size. */
export function pushSpecs(server: RunningServer, docs: number, times: number): ScenarioSpec[] {
  const group = `push ${docs / 1000}k`;
  const emptyOrg = () => createTenant(server, 'push'); // every push run starts from an empty org
  const replica = (batch: number | undefined): ScenarioSpec => ({
    group,
    docs,
    times,
    capMs: 90_000,
    name: S.REPLICA_PUSH,
    baseline: false,
    batchSize: S.pushBatchOf(batch),
    run: async (ms) => S.replicaPush(server, await emptyOrg(), docs, batch, ms),
  });
  return [
    {
      group,
      docs,
      times,
      capMs: 60_000,
      name: S.RAW_PUSH,
      baseline: true,
      batchSize: 500,
      run: async (ms) => S.rawPush(server, await emptyOrg(), docs, 500, ms),
    },
    replica(undefined),
    replica(500),
  ];
}
