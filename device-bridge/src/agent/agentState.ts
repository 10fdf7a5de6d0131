/**
 * What an agent keeps on disk (0600, in its state folder): its identity and credential, the
 * inventory the server acknowledged (deltas are computed from it), results not yet
 * acknowledged (the outbox: sent again until acknowledged), results already produced (a
 * redelivered lease is answered from here, never run twice) and the execution in progress.
 */
import { JsonFile } from '../fleet/localStore.js';
import type { ExecutionResult, Inventory } from '../fleet/sharedFleet.js';
import path from 'node:path';

export interface AgentStateData {
  agentId?: string;
  orgId?: string;
  credential?: string;
  ackedInventory: Inventory | null;
  outbox: ExecutionResult[];
  finished: Record<string, ExecutionResult>;
  inflight?: { executionId: string; attempt: number; startedAt: string };
}

const MAX_FINISHED = 500;

export class AgentState {
  private readonly file: JsonFile<AgentStateData>;
  data: AgentStateData = { ackedInventory: null, outbox: [], finished: {} };

  constructor(dir: string) {
    this.file = new JsonFile(path.join(dir, 'agent-state.json'), () => ({ ackedInventory: null, outbox: [], finished: {} }));
  }

  async load(): Promise<void> {
    this.data = await this.file.load();
  }

  save(): Promise<void> {
    const keys = Object.keys(this.data.finished);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_FINISHED))) delete this.data.finished[k];
    return this.file.save(this.data);
  }
}

export const resultKey = (executionId: string, attempt: number) => `${executionId}:${attempt}`;
