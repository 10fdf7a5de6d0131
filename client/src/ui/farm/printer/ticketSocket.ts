/**
 * A WebSocket stand-in for y-websocket's `WebSocketPolyfill` option. Yjs socket tickets are
 * single-use (ADR 007), so every (re)connect first asks `POST /api/yjs/tickets` for a fresh
 * one, then opens the real socket with `?ticket=`. The caller learns whether the notes are
 * read-only from each ticket. A refused ticket (403) closes with 4403, which y-websocket
 * treats as final; a network failure closes with 1006 and y-websocket retries with backoff.
 */
import { ApiError } from '../../../api/apiError.js';

export interface TicketAnswer {
  ticket: string;
  readOnly: boolean;
}
export type FetchTicket = (room: string) => Promise<TicketAnswer>;

/** `ws://host/yjs/printers:abc?x=1` -> `printers:abc`. */
export function roomOfUrl(url: string): string {
  const path = new URL(url).pathname;
  const at = path.indexOf('/yjs/');
  return decodeURIComponent(at === -1 ? path.slice(1) : path.slice(at + 5));
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export function ticketSocketClass(fetchTicket: FetchTicket, onTicket: (answer: TicketAnswer) => void): typeof WebSocket {
  class TicketSocket {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSING = CLOSING;
    static readonly CLOSED = CLOSED;
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSING = CLOSING;
    readonly CLOSED = CLOSED;

    binaryType: BinaryType = 'arraybuffer';
    onopen: ((e: Event) => void) | null = null;
    onmessage: ((e: MessageEvent) => void) | null = null;
    onclose: ((e: CloseEvent) => void) | null = null;
    onerror: ((e: Event) => void) | null = null;
    private socket: WebSocket | null = null;
    private closed = false;

    constructor(
      readonly url: string,
      protocols?: string | string[],
    ) {
      void this.open(protocols);
    }

    get readyState(): number {
      if (this.socket) return this.socket.readyState;
      return this.closed ? CLOSED : CONNECTING;
    }

    private async open(protocols?: string | string[]) {
      let answer: TicketAnswer;
      try {
        answer = await fetchTicket(roomOfUrl(this.url));
      } catch (err) {
        if (this.closed) return;
        this.closed = true;
        const refused = err instanceof ApiError && (err.status === 403 || err.status === 404);
        this.onerror?.(new Event('error'));
        this.onclose?.(
          new CloseEvent('close', { code: refused ? 4403 : 1006, reason: refused ? err.message : 'no ticket', wasClean: false }),
        );
        return;
      }
      if (this.closed) return;
      onTicket(answer);
      const url = new URL(this.url);
      url.searchParams.set('ticket', answer.ticket);
      const ws = new WebSocket(url, protocols);
      ws.binaryType = this.binaryType;
      ws.onopen = (e) => this.onopen?.(e);
      ws.onmessage = (e: MessageEvent) => this.onmessage?.(e);
      ws.onerror = (e) => this.onerror?.(e);
      ws.onclose = (e) => {
        this.closed = true;
        this.onclose?.(e);
      };
      this.socket = ws;
    }

    send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (this.socket?.readyState === OPEN) this.socket.send(data as ArrayBufferView);
    }

    close(code?: number, reason?: string): void {
      this.closed = true;
      this.socket?.close(code, reason);
    }
  }
  return TicketSocket as unknown as typeof WebSocket;
}
