/**
 * The connection loop of an HTTP-polling adapter: poll now, then every interval; on failure
 * report offline and retry with backoff; disconnect() stops the loop and waits for a poll in flight.
 */
import { RetryTimer } from './backoff.js';
import type { ReconnectOptions } from './deviceAdapter.js';
import type { HttpResult } from './httpClient.js';

export type PollResult = { ok: true } | { ok: false; reason: string };

export class PollingConnection {
  private readonly timer: RetryTimer;
  private running = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly poll: () => Promise<PollResult>,
    private readonly onFailure: (reason: string) => void,
    private readonly intervalMs: number,
    reconnect: Partial<ReconnectOptions> | undefined,
  ) {
    this.timer = new RetryTimer(reconnect);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.runOnce();
  }

  /** Poll now instead of waiting for the interval (after a command, to show its effect soon). */
  async pollNow(): Promise<void> {
    if (!this.running) return;
    if (this.inFlight) await this.inFlight;
    await this.runOnce();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timer.cancel();
    await this.inFlight;
  }

  private runOnce(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.timer.cancel();
    this.inFlight = this.poll()
      .catch((error: unknown): PollResult => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }))
      .then((result) => {
        if (!this.running) return;
        if (result.ok) {
          this.timer.backoff.reset();
          this.timer.schedule(() => void this.runOnce(), this.intervalMs);
        } else {
          this.onFailure(result.reason);
          this.timer.schedule(() => void this.runOnce());
        }
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

/** Why a poll could not reach the device. */
export function pollFailure(result: HttpResult): string {
  if (result.kind === 'timeout') return 'the device did not answer in time';
  if (result.kind === 'network') return `the device could not be reached: ${result.message}`;
  return 'the device answered badly';
}
