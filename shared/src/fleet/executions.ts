/**
 * Endpoint task executions: one per (task or deployment) x device, keyed by its id. Delivery is
 * at least once (a lease that expires hands the work out again); results are idempotent: the
 * first final result wins and any later or repeated one is ignored (anchors §1.4).
 *
 *   queued --lease--> leased --agent starts--> running --> succeeded | failed | timed_out
 *     ^                 |  lease expired, attempts left           |
 *     +---- backoff <---+------------- failed, attempts left <----+
 *   cancelled: from any non-final state
 */
export const EXECUTION_STATES = ['queued', 'leased', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];
export const FINAL_EXECUTION_STATES: readonly ExecutionState[] = ['succeeded', 'failed', 'timed_out', 'cancelled'];
export const isFinalExecutionState = (s: ExecutionState) => FINAL_EXECUTION_STATES.includes(s);

export const TASK_ACTIONS = ['script', 'command', 'reboot', 'package_install', 'package_uninstall'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Why an execution ended the way it did (finer than its state). */
export const EXECUTION_OUTCOMES = [
  'ok',
  'already_installed',
  'not_installed',
  'exit_code',
  'detection_failed',
  'checksum_mismatch',
  'timeout',
  'lease_expired',
  'cancelled',
  'error',
] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];

/** Bounds on what an agent may send back. */
export const MAX_OUTPUT_CHARS = 16_384;
export const MAX_BACKOFF_SECONDS = 3600;

export interface ExecutionCore {
  state: ExecutionState;
  attempt: number;
  maxAttempts: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number;
  notBefore?: string;
  leaseExpiresAt?: string;
  startedAt?: string;
  finishedAt?: string;
  outcome?: ExecutionOutcome;
}

export interface ResultReport {
  attempt: number;
  status: 'succeeded' | 'failed' | 'timed_out';
  outcome: ExecutionOutcome;
  exitCode?: number | null;
  startedAt?: string;
  finishedAt?: string;
}

export type ReportOutcome = 'accepted' | 'duplicate' | 'stale';

/** Exponential backoff: base, 2x base, 4x base ... capped at an hour. */
export function retryDelaySeconds(base: number, attemptThatFailed: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, Math.max(0, base) * 2 ** Math.max(0, attemptThatFailed - 1));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What a failed attempt leads to: another attempt after a backoff, or the final state. */
function afterFailure<T extends ExecutionCore>(
  exec: T,
  finalState: 'failed' | 'timed_out',
  outcome: ExecutionOutcome,
  nowMs: number,
): T {
  if (exec.attempt < exec.maxAttempts) {
    return {
      ...exec,
      state: 'queued',
      attempt: exec.attempt + 1,
      notBefore: iso(nowMs + retryDelaySeconds(exec.retryBackoffSeconds, exec.attempt) * 1000),
      leaseExpiresAt: undefined,
      outcome,
    };
  }
  return { ...exec, state: finalState, outcome, finishedAt: iso(nowMs), leaseExpiresAt: undefined, notBefore: undefined };
}

/** May this execution be leased now? */
export function leasable(exec: ExecutionCore, nowMs: number): boolean {
  return exec.state === 'queued' && (!exec.notBefore || Date.parse(exec.notBefore) <= nowMs);
}

export function leaseExecution<T extends ExecutionCore>(exec: T, nowMs: number, graceSeconds: number): T {
  return {
    ...exec,
    state: 'leased',
    leaseExpiresAt: iso(nowMs + (exec.timeoutSeconds + graceSeconds) * 1000),
    notBefore: undefined,
  };
}

/** A lease that ran out without a final result: the work goes out again (at least once). */
export function expireLease<T extends ExecutionCore>(exec: T, nowMs: number): T | null {
  if ((exec.state !== 'leased' && exec.state !== 'running') || !exec.leaseExpiresAt) return null;
  if (Date.parse(exec.leaseExpiresAt) > nowMs) return null;
  return afterFailure(exec, 'timed_out', 'lease_expired', nowMs);
}

/** The agent says it started. Also accepted from `queued`: the bridge leased it while offline. */
export function reportRunning<T extends ExecutionCore>(
  exec: T,
  attempt: number,
  nowMs: number,
  graceSeconds: number,
): { outcome: ReportOutcome; next: T | null } {
  if (isFinalExecutionState(exec.state)) return { outcome: 'duplicate', next: null };
  if (attempt !== exec.attempt) return { outcome: 'stale', next: null };
  if (exec.state === 'running') return { outcome: 'duplicate', next: null };
  return {
    outcome: 'accepted',
    next: {
      ...exec,
      state: 'running',
      startedAt: iso(nowMs),
      notBefore: undefined,
      leaseExpiresAt: iso(nowMs + (exec.timeoutSeconds + graceSeconds) * 1000),
    },
  };
}

/**
 * A result from the agent. The first final result wins; a repeat is a duplicate. A late
 * success of an earlier attempt (its lease had expired while the device was away) still ends
 * the execution, so work that did run is not run again; a late failure of an earlier attempt
 * is stale (that attempt was already retried).
 */
export function reportResult<T extends ExecutionCore>(
  exec: T,
  r: ResultReport,
  nowMs: number,
): { outcome: ReportOutcome; next: T | null } {
  if (isFinalExecutionState(exec.state)) return { outcome: 'duplicate', next: null };
  if (r.attempt > exec.attempt || r.attempt < 1) return { outcome: 'stale', next: null };
  if (r.attempt < exec.attempt && r.status !== 'succeeded') return { outcome: 'stale', next: null };
  const finished = {
    ...exec,
    attempt: r.attempt === exec.attempt ? exec.attempt : r.attempt,
    startedAt: r.startedAt ?? exec.startedAt,
  };
  if (r.status === 'succeeded') {
    return {
      outcome: 'accepted',
      next: {
        ...finished,
        state: 'succeeded',
        outcome: r.outcome,
        finishedAt: r.finishedAt ?? iso(nowMs),
        leaseExpiresAt: undefined,
        notBefore: undefined,
      },
    };
  }
  return { outcome: 'accepted', next: afterFailure(finished, r.status, r.outcome, nowMs) };
}

export function cancelExecution<T extends ExecutionCore>(exec: T, nowMs: number): T | null {
  if (isFinalExecutionState(exec.state)) return null;
  return {
    ...exec,
    state: 'cancelled',
    outcome: 'cancelled',
    finishedAt: iso(nowMs),
    leaseExpiresAt: undefined,
    notBefore: undefined,
  };
}

/** Counts per state, for dashboards and the rollout machine. */
export type StateCounts = Record<ExecutionState, number>;
export function emptyCounts(): StateCounts {
  return { queued: 0, leased: 0, running: 0, succeeded: 0, failed: 0, timed_out: 0, cancelled: 0 };
}
