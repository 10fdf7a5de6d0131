/** `GET /api/fleet/deployments/:id/status` (and the pause/resume/rollback answers), read leniently. */
import { isObject, num, str, strings, type Json } from '../../farm/api/parse.js';
import { EXECUTION_STATES, type ExecutionState, type StateCounts } from '../sharedFleet.js';

export interface WaveView {
  index: number;
  kind: string;
  total: number;
  counts: StateCounts;
  startedAt: string | null;
  deviceIds: string[];
}
export interface DeploymentStatus {
  id: string;
  name: string;
  state: string;
  currentWave: number;
  waveCount: number;
  pausedReason: string | null;
  statusMessage: string | null;
  rollbackDeploymentId: string | null;
  totals: StateCounts;
  waves: WaveView[];
}

export const STATE_LABELS: Record<ExecutionState, string> = {
  queued: 'Queued',
  leased: 'Leased',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  timed_out: 'Timed out',
  cancelled: 'Cancelled',
};

function counts(v: unknown): StateCounts {
  const o: Json = isObject(v) ? v : {};
  return Object.fromEntries(EXECUTION_STATES.map((s) => [s, num(o[s]) ?? 0])) as StateCounts;
}

export function parseStatus(body: unknown): DeploymentStatus {
  if (!isObject(body) || !str(body.id)) throw new Error('the server sent an unexpected answer');
  const waves = Array.isArray(body.waves) ? body.waves.filter(isObject) : [];
  return {
    id: str(body.id)!,
    name: str(body.name) ?? '',
    state: str(body.state) ?? 'pending',
    currentWave: num(body.currentWave) ?? 0,
    waveCount: num(body.waveCount) ?? waves.length,
    pausedReason: str(body.pausedReason) ?? null,
    statusMessage: str(body.statusMessage) ?? null,
    rollbackDeploymentId: str(body.rollbackDeploymentId) ?? null,
    totals: counts(body.totals),
    waves: waves.map((w, i) => ({
      index: num(w.index) ?? i,
      kind: str(w.kind) ?? 'percentage',
      total: num(w.total) ?? 0,
      counts: counts(w.counts),
      startedAt: str(w.startedAt) ?? null,
      deviceIds: strings(w.deviceIds) ?? [],
    })),
  };
}

export const STATE_TEXT: Record<string, string> = {
  pending: 'Pending',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  rolled_back: 'Rolled back',
  cancelled: 'Cancelled',
  invalid: 'Invalid',
};
