/** What a screen shows while a farm endpoint loads, when it is missing, offline or failed. */
import type { ReactNode } from 'react';
import type { Loaded } from '../api/useFarmQuery.js';

interface Props<T> {
  state: Loaded<T>;
  /** What is not available, e.g. "The model library". */
  what: string;
  onRetry?: () => void;
  children: (data: T) => ReactNode;
}

export function NotAvailable({ what }: { what: string }) {
  return (
    <p className="not-available" data-testid="not-available">
      <strong>Not available:</strong> {what} is not available on this server yet.
    </p>
  );
}

export function LoadState<T>({ state, what, onRetry, children }: Props<T>) {
  switch (state.kind) {
    case 'ok':
      return <>{children(state.data)}</>;
    case 'loading':
      return (
        <p className="muted" role="status">
          Loading…
        </p>
      );
    case 'missing':
      return <NotAvailable what={what} />;
    case 'offline':
    case 'error':
      return (
        <div className="inline-error" role="alert">
          <p>
            {state.kind === 'offline'
              ? `${what} needs a connection to the server. You are offline.`
              : `${what} could not be loaded: ${state.message}`}
          </p>
          {onRetry && (
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          )}
        </div>
      );
  }
}
