/** Exponential backoff with jitter for reconnecting to a device, and a timer that uses it. */
import type { ReconnectOptions } from './deviceAdapter.js';

export const DEFAULT_RECONNECT: ReconnectOptions = { initialMs: 1_000, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;
  constructor(private readonly options: ReconnectOptions) {}

  /** Delay before the next attempt: initial × 2^attempt, capped, with ±20 % jitter. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** One pending retry at a time; cancel() before shutting down. */
export class RetryTimer {
  private timer: NodeJS.Timeout | undefined;
  readonly backoff: Backoff;

  constructor(options: Partial<ReconnectOptions> | undefined) {
    this.backoff = new Backoff({ ...DEFAULT_RECONNECT, ...options });
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  schedule(run: () => void, delayMs = this.backoff.next()): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      run();
    }, delayMs);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
