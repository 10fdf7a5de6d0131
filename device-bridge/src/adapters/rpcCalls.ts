/** Requests waiting for their reply, matched by id (JSON-RPC) or sequence_id (Bambu). */
import { isRecord } from './sharedDevices.js';

export type RpcReply =
  { kind: 'result'; result: unknown } | { kind: 'error'; message: string } | { kind: 'timeout' } | { kind: 'offline' };

interface Waiting {
  resolve: (reply: RpcReply) => void;
  timer: NodeJS.Timeout;
}

export class RpcCalls {
  private nextId = 1;
  private readonly waiting = new Map<string, Waiting>();

  /** A new request id and the promise of its reply; the reply is 'timeout' after timeoutMs. */
  start(timeoutMs: number): { id: number; reply: Promise<RpcReply> } {
    const id = this.nextId++;
    const reply = new Promise<RpcReply>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(String(id));
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.waiting.set(String(id), { resolve, timer });
    });
    return { id, reply };
  }

  /** Settle the request a JSON-RPC response belongs to; false when nobody waits for it. */
  settle(message: Record<string, unknown>): boolean {
    const error = message.error;
    if (error !== undefined) {
      const text = isRecord(error) && typeof error.message === 'string' ? error.message : 'the device refused the request';
      return this.resolve(String(message.id), { kind: 'error', message: text });
    }
    return this.resolve(String(message.id), { kind: 'result', result: message.result });
  }

  resolve(id: string, reply: RpcReply): boolean {
    const waiting = this.waiting.get(id);
    if (!waiting) return false;
    clearTimeout(waiting.timer);
    this.waiting.delete(id);
    waiting.resolve(reply);
    return true;
  }

  has(id: string): boolean {
    return this.waiting.has(id);
  }

  /** The connection dropped: every waiting request is answered 'offline'. */
  failAll(): void {
    for (const [id] of this.waiting) this.resolve(id, { kind: 'offline' });
  }
}
