/**
 * Runs one process for the agent: a shell script (`sh -c` / `bash -c`) or an argv, in its own
 * process group so a timeout kills everything it started; stdout and stderr are captured
 * bounded (the tail is kept: the end of a log says why it failed).
 */
import { spawn } from 'node:child_process';

export interface ProcessResult {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  truncated: boolean;
  error?: string;
}

export interface RunOptions {
  timeoutMs: number;
  env?: Record<string, string>;
  cwd?: string;
  maxOutputChars?: number;
}

class BoundedTail {
  private chunks: string[] = [];
  private length = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.max && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.length - this.max;
      this.truncated = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.length -= excess;
      }
    }
  }
  toString(): string {
    return this.chunks.join('');
  }
}

export function runProcess(argv: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const max = options.maxOutputChars ?? 16_384;
  const out = new BoundedTail(max);
  const err = new BoundedTail(max);
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => err.push(d));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 2000).unref();
    }, options.timeoutMs);
    const finish = (exitCode: number | null, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        exitCode,
        timedOut,
        stdout: out.toString(),
        stderr: err.toString(),
        truncated: out.truncated || err.truncated,
        ...(error ? { error } : {}),
      });
    };
    child.once('error', (e) => finish(null, e.message));
    child.once('close', (code) => finish(code));
  });
}

export const runScript = (shell: 'sh' | 'bash', body: string, options: RunOptions) => runProcess([shell, '-c', body], options);
