/**
 * Staged rollouts (anchors §1.5): a pilot wave, then percentage waves. Pure: the server feeds
 * it the per-wave counts after every result and carries out the actions it returns.
 *
 * - A wave is *settled* when nothing in it is still pending, or when its success ratio reaches
 *   `successThreshold` (so a few devices that stay offline do not hold the rollout forever).
 * - Auto-pause (our addition; no reference system has it): when the current wave's failure
 *   ratio `failed / finished` reaches `failureThreshold` with at least `minSample` finished
 *   (or the whole wave, when it is smaller), the rollout pauses and no further wave starts.
 *   Evaluated on every result, so the blast radius is one wave.
 * - Resume acknowledges the current wave's failures: it will not pause that wave again, and
 *   the next wave starts once it is settled.
 * - Rollback is never a reversal of history: it cancels what has not run and asks for a new
 *   deployment (uninstall, or the previous version) over the devices this one reached.
 */
import type { StateCounts } from './executions.js';

export const ROLLOUT_STATUSES = ['running', 'paused', 'completed', 'rolled_back', 'cancelled', 'invalid'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export interface RolloutConfig {
  waveCount: number;
  /** 0..1: a wave whose failure ratio reaches this pauses the rollout. */
  failureThreshold: number;
  /** Finished executions needed before the failure ratio counts (capped at the wave size). */
  minSample: number;
  /** 0..1: a wave with this share succeeded counts as settled even if some are still pending. */
  successThreshold: number;
}

export interface RolloutState {
  status: RolloutStatus;
  currentWave: number;
  pausedReason?: 'failure_threshold' | 'manual';
  /** The wave whose failures an operator acknowledged by resuming. */
  acknowledgedWave?: number;
}

export type RolloutAction =
  | { type: 'start_wave'; wave: number }
  | { type: 'paused'; reason: 'failure_threshold' | 'manual'; wave: number; failureRatio: number }
  | { type: 'resumed'; wave: number }
  | { type: 'completed' }
  | { type: 'cancel_pending' }
  | { type: 'create_rollback' };

export type RolloutEvent =
  | { type: 'evaluate'; waves: readonly StateCounts[] }
  | { type: 'pause' }
  | { type: 'resume'; waves: readonly StateCounts[] }
  | { type: 'rollback' }
  | { type: 'cancel' };

export interface RolloutDecision {
  state: RolloutState;
  actions: RolloutAction[];
}

export interface WaveSummary {
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
  finished: number;
  failureRatio: number;
  successRatio: number;
}

export function summarizeWave(c: StateCounts | undefined): WaveSummary {
  const counts = c ?? { queued: 0, leased: 0, running: 0, succeeded: 0, failed: 0, timed_out: 0, cancelled: 0 };
  const pending = counts.queued + counts.leased + counts.running;
  const failed = counts.failed + counts.timed_out;
  const finished = counts.succeeded + failed;
  const total = pending + finished + counts.cancelled;
  return {
    total,
    pending,
    succeeded: counts.succeeded,
    failed,
    finished,
    failureRatio: finished === 0 ? 0 : failed / finished,
    successRatio: total === 0 ? 1 : counts.succeeded / total,
  };
}

export function validateRolloutConfig(c: RolloutConfig): string | null {
  if (!Number.isInteger(c.waveCount) || c.waveCount < 1) return 'a rollout needs at least one wave';
  if (!(c.failureThreshold > 0 && c.failureThreshold <= 1)) return 'failureThreshold must be in (0, 1]';
  if (!(c.successThreshold > 0 && c.successThreshold <= 1)) return 'successThreshold must be in (0, 1]';
  if (!Number.isInteger(c.minSample) || c.minSample < 1) return 'minSample must be a positive integer';
  return null;
}

/**
 * Which devices go into which wave: the pilot devices (those among the targets) first, then the
 * rest in a stable pseudo-random order cut at cumulative percentages (e.g. [25, 100]).
 * Deterministic for a given deployment id, so every server instance computes the same plan.
 */
export function planWaves(
  deploymentId: string,
  targets: readonly string[],
  pilot: readonly string[],
  percents: readonly number[],
): string[][] {
  const targetSet = new Set(targets);
  const pilotIds = [...new Set(pilot.filter((d) => targetSet.has(d)))].sort();
  const pilotSet = new Set(pilotIds);
  const score = (id: string) => {
    let h = 2166136261;
    for (const ch of `${deploymentId}:${id}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return h;
  };
  const rest = [...targetSet].filter((d) => !pilotSet.has(d)).sort((a, b) => score(a) - score(b) || (a < b ? -1 : 1));
  const waves: string[][] = [];
  if (pilot.length > 0 || pilotIds.length > 0) waves.push(pilotIds);
  const cuts = percents.length > 0 ? percents : [100];
  let taken = 0;
  cuts.forEach((pct, i) => {
    const upto =
      i === cuts.length - 1
        ? rest.length
        : Math.min(rest.length, Math.ceil((Math.min(100, Math.max(0, pct)) / 100) * rest.length));
    waves.push(rest.slice(taken, Math.max(taken, upto)));
    taken = Math.max(taken, upto);
  });
  return waves;
}

export function startRollout(config: RolloutConfig): RolloutDecision {
  const problem = validateRolloutConfig(config);
  if (problem) return { state: { status: 'invalid', currentWave: 0 }, actions: [] };
  return { state: { status: 'running', currentWave: 0 }, actions: [{ type: 'start_wave', wave: 0 }] };
}

function shouldPause(state: RolloutState, config: RolloutConfig, w: WaveSummary): boolean {
  if (state.acknowledgedWave === state.currentWave) return false;
  const sample = Math.min(config.minSample, w.total);
  return w.finished > 0 && w.finished >= sample && w.failureRatio >= config.failureThreshold;
}

const settled = (config: RolloutConfig, w: WaveSummary) => w.pending === 0 || w.successRatio >= config.successThreshold;

/** Runs waves forward as far as the counts allow (several empty waves may pass at once). */
function advance(
  state: RolloutState,
  config: RolloutConfig,
  waves: readonly StateCounts[],
  actions: RolloutAction[],
): RolloutState {
  let s = state;
  for (;;) {
    const w = summarizeWave(waves[s.currentWave]);
    if (shouldPause(s, config, w)) {
      actions.push({ type: 'paused', reason: 'failure_threshold', wave: s.currentWave, failureRatio: w.failureRatio });
      return { ...s, status: 'paused', pausedReason: 'failure_threshold' };
    }
    if (!settled(config, w)) return s;
    if (s.currentWave + 1 >= config.waveCount) {
      actions.push({ type: 'completed' });
      return { ...s, status: 'completed' };
    }
    s = { ...s, currentWave: s.currentWave + 1 };
    actions.push({ type: 'start_wave', wave: s.currentWave });
    // The caller counts a wave's planned devices as queued: only a wave with no devices passes at once.
    const next = waves[s.currentWave];
    if (!next || summarizeWave(next).total > 0) return s;
  }
}

export function stepRollout(state: RolloutState, config: RolloutConfig, event: RolloutEvent): RolloutDecision {
  const actions: RolloutAction[] = [];
  const active = state.status === 'running' || state.status === 'paused';
  switch (event.type) {
    case 'evaluate':
      if (state.status !== 'running') return { state, actions };
      return { state: advance(state, config, event.waves, actions), actions };
    case 'pause':
      if (state.status !== 'running') return { state, actions };
      return {
        state: { ...state, status: 'paused', pausedReason: 'manual' },
        actions: [{ type: 'paused', reason: 'manual', wave: state.currentWave, failureRatio: 0 }],
      };
    case 'resume': {
      if (state.status !== 'paused') return { state, actions };
      const resumed: RolloutState = {
        status: 'running',
        currentWave: state.currentWave,
        acknowledgedWave: state.pausedReason === 'failure_threshold' ? state.currentWave : state.acknowledgedWave,
      };
      actions.push({ type: 'resumed', wave: state.currentWave });
      return { state: advance(resumed, config, event.waves, actions), actions };
    }
    case 'rollback':
      if (!active && state.status !== 'completed') return { state, actions };
      return { state: { ...state, status: 'rolled_back' }, actions: [{ type: 'cancel_pending' }, { type: 'create_rollback' }] };
    case 'cancel':
      if (!active) return { state, actions };
      return { state: { ...state, status: 'cancelled' }, actions: [{ type: 'cancel_pending' }] };
  }
}
