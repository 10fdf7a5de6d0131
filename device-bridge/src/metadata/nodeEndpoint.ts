/** comlink's Endpoint over a worker_threads MessagePort or Worker (Node delivers `data`, not events). */
import type { Endpoint } from 'comlink';
import type { MessagePort, TransferListItem, Worker } from 'node:worker_threads';

type Listener = Parameters<Endpoint['addEventListener']>[1];

export function nodeEndpoint(port: MessagePort | Worker): Endpoint {
  const wrapped = new Map<Listener, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: unknown[]) =>
      port.postMessage(message, transfer as TransferListItem[] | undefined),
    addEventListener: (_type: string, listener: Listener) => {
      const handler = (data: unknown): void => {
        const event = { data } as MessageEvent;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      wrapped.set(listener, handler);
      port.on('message', handler);
    },
    removeEventListener: (_type: string, listener: Listener) => {
      const handler = wrapped.get(listener);
      if (!handler) return;
      port.off('message', handler);
      wrapped.delete(listener);
    },
  };
}
