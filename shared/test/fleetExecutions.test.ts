/** Execution state machine: leases, at-least-once delivery, first final result wins, retries with backoff. */
import { describe, expect, it } from 'vitest';
import {
  cancelExecution,
  expireLease,
  leasable,
  leaseExecution,
  reportResult,
  reportRunning,
  retryDelaySeconds,
  type ExecutionCore,
} from '../src/fleet/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const exec = (over: Partial<ExecutionCore> = {}): ExecutionCore => ({
  state: 'queued',
  attempt: 1,
  maxAttempts: 3,
  retryBackoffSeconds: 10,
  timeoutSeconds: 60,
  ...over,
});
const ok = { attempt: 1, status: 'succeeded' as const, outcome: 'ok' as const, exitCode: 0 };
const fail = { attempt: 1, status: 'failed' as const, outcome: 'exit_code' as const, exitCode: 2 };

describe('executions', () => {
  it('lease -> running -> succeeded; a repeated result is a duplicate', () => {
    const leased = leaseExecution(exec(), T0, 30);
    expect(leased).toMatchObject({ state: 'leased', leaseExpiresAt: new Date(T0 + 90_000).toISOString() });
    const run = reportRunning(leased, 1, T0 + 1000, 30);
    expect(run.outcome).toBe('accepted');
    const done = reportResult(run.next!, ok, T0 + 2000);
    expect(done).toMatchObject({ outcome: 'accepted', next: { state: 'succeeded', outcome: 'ok' } });
    expect(reportResult(done.next!, ok, T0 + 3000)).toEqual({ outcome: 'duplicate', next: null });
    expect(reportResult(done.next!, fail, T0 + 3000)).toEqual({ outcome: 'duplicate', next: null });
  });

  it('a failure retries with exponential backoff until attempts run out', () => {
    expect([1, 2, 3, 20].map((a) => retryDelaySeconds(10, a))).toEqual([10, 20, 40, 3600]);
    const r1 = reportResult(leaseExecution(exec(), T0, 30), fail, T0);
    expect(r1.next).toMatchObject({ state: 'queued', attempt: 2, notBefore: new Date(T0 + 10_000).toISOString() });
    expect(leasable(r1.next!, T0 + 9_999)).toBe(false);
    expect(leasable(r1.next!, T0 + 10_000)).toBe(true);
    // The same failure delivered again is stale: that attempt was already retried.
    expect(reportResult(r1.next!, fail, T0 + 1)).toEqual({ outcome: 'stale', next: null });
    const last = reportResult({ ...r1.next!, attempt: 3, state: 'running' }, { ...fail, attempt: 3 }, T0);
    expect(last.next).toMatchObject({ state: 'failed', outcome: 'exit_code' });
  });

  it('an expired lease hands the work out again; a late success of the earlier attempt still ends it once', () => {
    const running = reportRunning(leaseExecution(exec(), T0, 5), 1, T0, 5).next!;
    expect(expireLease(running, T0 + 64_000)).toBeNull();
    const requeued = expireLease(running, T0 + 66_000)!;
    expect(requeued).toMatchObject({ state: 'queued', attempt: 2, outcome: 'lease_expired' });
    const late = reportResult(requeued, ok, T0 + 70_000);
    expect(late).toMatchObject({ outcome: 'accepted', next: { state: 'succeeded', attempt: 1 } });
    expect(reportResult(late.next!, { ...ok, attempt: 2 }, T0 + 71_000).outcome).toBe('duplicate');
    expect(expireLease({ ...running, maxAttempts: 1 }, T0 + 66_000)).toMatchObject({
      state: 'timed_out',
      outcome: 'lease_expired',
    });
  });

  it('running is accepted from queued (leased by the bridge while offline); a result for a future attempt is stale', () => {
    expect(reportRunning(exec(), 1, T0, 5).outcome).toBe('accepted');
    expect(reportRunning(exec(), 2, T0, 5).outcome).toBe('stale');
    expect(reportResult(exec(), { ...ok, attempt: 2 }, T0).outcome).toBe('stale');
  });

  it('cancel ends any non-final execution, and a result after it is ignored', () => {
    const cancelled = cancelExecution(leaseExecution(exec(), T0, 5), T0)!;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelExecution(cancelled, T0)).toBeNull();
    expect(reportResult(cancelled, ok, T0).outcome).toBe('duplicate');
  });
});
