/** The staged-rollout state machine (pure): waves, auto-pause, resume, rollback. */
import { describe, expect, it } from 'vitest';
import {
  emptyCounts,
  planWaves,
  startRollout,
  stepRollout,
  type RolloutConfig,
  type RolloutState,
  type StateCounts,
} from '../src/fleet/index.js';

const config: RolloutConfig = { waveCount: 3, failureThreshold: 0.3, minSample: 3, successThreshold: 1 };
const counts = (over: Partial<StateCounts>): StateCounts => ({ ...emptyCounts(), ...over });
const running = (wave: number): RolloutState => ({ status: 'running', currentWave: wave });

describe('rollout state machine', () => {
  it('starts with the first wave; an invalid config never starts', () => {
    expect(startRollout(config)).toEqual({ state: running(0), actions: [{ type: 'start_wave', wave: 0 }] });
    expect(startRollout({ ...config, failureThreshold: 0 }).state.status).toBe('invalid');
  });

  it('advances wave by wave when each is settled, then completes', () => {
    let d = stepRollout(running(0), config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 2, running: 1 }), counts({ queued: 5 }), counts({ queued: 10 })],
    });
    expect(d.actions).toEqual([]);
    d = stepRollout(d.state, config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 3 }), counts({ queued: 5 }), counts({ queued: 10 })],
    });
    expect(d).toEqual({ state: running(1), actions: [{ type: 'start_wave', wave: 1 }] });
    d = stepRollout(d.state, config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 3 }), counts({ succeeded: 4, failed: 1 }), counts({ queued: 10 })],
    });
    expect(d.actions).toEqual([{ type: 'start_wave', wave: 2 }]);
    d = stepRollout(d.state, config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 3 }), counts({ succeeded: 5 }), counts({ succeeded: 10 })],
    });
    expect(d).toEqual({ state: { status: 'completed', currentWave: 2 }, actions: [{ type: 'completed' }] });
  });

  it('pauses by itself when the failure ratio reaches the threshold with enough sample, before the next wave', () => {
    // 1 failure in 2 finished: ratio 0.5 but below the sample of 3: keep going.
    let d = stepRollout(running(0), config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 1, failed: 1, queued: 2 }), counts({ queued: 8 })],
    });
    expect(d.actions).toEqual([]);
    d = stepRollout(d.state, config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 1, failed: 2, queued: 1 }), counts({ queued: 8 })],
    });
    expect(d.state).toEqual({ status: 'paused', currentWave: 0, pausedReason: 'failure_threshold' });
    expect(d.actions).toEqual([{ type: 'paused', reason: 'failure_threshold', wave: 0, failureRatio: 2 / 3 }]);
    // Paused: more results do not start anything.
    const still = stepRollout(d.state, config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 2, failed: 2 }), counts({ queued: 8 })],
    });
    expect(still).toEqual({ state: d.state, actions: [] });
  });

  it('a small wave is judged as a whole (sample capped at the wave size); timeouts count as failures', () => {
    const d = stepRollout(running(0), config, {
      type: 'evaluate',
      waves: [counts({ failed: 1, timed_out: 1 }), counts({ queued: 8 })],
    });
    expect(d.state.status).toBe('paused');
  });

  it('resume acknowledges the wave: it does not pause again and the next wave starts once settled', () => {
    const paused: RolloutState = { status: 'paused', currentWave: 0, pausedReason: 'failure_threshold' };
    let d = stepRollout(paused, config, {
      type: 'resume',
      waves: [counts({ succeeded: 2, failed: 2 }), counts({ queued: 8 }), counts({ queued: 10 })],
    });
    expect(d.state).toEqual({ status: 'running', currentWave: 1, acknowledgedWave: 0 });
    expect(d.actions).toEqual([
      { type: 'resumed', wave: 0 },
      { type: 'start_wave', wave: 1 },
    ]);
    // The next wave is judged on its own.
    d = stepRollout(d.state, config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 2, failed: 2 }), counts({ failed: 3, succeeded: 1 }), counts({ queued: 10 })],
    });
    expect(d.state.status).toBe('paused');
  });

  it('manual pause and resume; rollback and cancel stop pending work', () => {
    const p = stepRollout(running(1), config, { type: 'pause' });
    expect(p.state).toEqual({ status: 'paused', currentWave: 1, pausedReason: 'manual' });
    const r = stepRollout(p.state, config, { type: 'resume', waves: [counts({ succeeded: 3 }), counts({ running: 2 })] });
    expect(r.state).toEqual({ status: 'running', currentWave: 1 });
    expect(stepRollout(p.state, config, { type: 'rollback' })).toEqual({
      state: { ...p.state, status: 'rolled_back' },
      actions: [{ type: 'cancel_pending' }, { type: 'create_rollback' }],
    });
    expect(stepRollout({ status: 'completed', currentWave: 2 }, config, { type: 'rollback' }).state.status).toBe('rolled_back');
    expect(stepRollout({ status: 'rolled_back', currentWave: 2 }, config, { type: 'rollback' }).actions).toEqual([]);
    expect(stepRollout(running(0), config, { type: 'cancel' }).actions).toEqual([{ type: 'cancel_pending' }]);
  });

  it('empty waves pass at once', () => {
    const d = stepRollout(running(0), config, {
      type: 'evaluate',
      waves: [counts({ succeeded: 1 }), counts({}), counts({ queued: 3 })],
    });
    expect(d).toEqual({
      state: running(2),
      actions: [
        { type: 'start_wave', wave: 1 },
        { type: 'start_wave', wave: 2 },
      ],
    });
  });
});

describe('wave planning', () => {
  const targets = Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(2, '0')}`);
  it('pilot first, then cumulative percentages of the rest; every target exactly once; deterministic', () => {
    const waves = planWaves('dep-1', targets, ['d03', 'd07', 'x-not-targeted'], [25, 100]);
    expect(waves.map((w) => w.length)).toEqual([2, 5, 13]);
    expect(waves[0]).toEqual(['d03', 'd07']);
    expect(waves.flat().sort()).toEqual(targets);
    expect(planWaves('dep-1', [...targets].reverse(), ['d07', 'd03'], [25, 100])).toEqual(waves);
    expect(planWaves('dep-2', targets, [], [50, 100])[0]).not.toEqual(waves[1]);
    expect(planWaves('dep-2', targets, [], [100])).toHaveLength(1);
  });
});
