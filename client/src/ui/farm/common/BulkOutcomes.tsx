/** The result of a bulk action, item by item, announced politely. */
import type { BulkState } from './useBulkAction.js';

interface Props {
  state: BulkState;
  nameOf: (id: string) => string;
  onDismiss: () => void;
}

export function BulkOutcomes({ state, nameOf, onDismiss }: Props) {
  const failed = state.kind === 'done' ? state.outcomes.filter((o) => !o.ok).length : 0;
  return (
    <div className="bulk-outcomes" role="status" aria-live="polite" data-testid="bulk-outcomes">
      {state.kind === 'busy' && <p>{state.what}…</p>}
      {state.kind === 'failed' && (
        <div className="inline-error">
          <p>
            <strong>{state.what}:</strong> {state.message}
          </p>
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      )}
      {state.kind === 'done' && (
        <div className="outcome-panel">
          <p>
            <strong>{state.what}:</strong> {state.outcomes.length - failed} done
            {failed > 0 ? `, ${failed} refused` : ''}.
          </p>
          <ul className="outcome-list">
            {state.outcomes.map((o) => (
              <li key={o.id} className={o.ok ? 'outcome-ok' : 'outcome-failed'}>
                {nameOf(o.id)}: {o.ok ? 'done' : `refused – ${o.message ?? 'no reason given'}`}
              </li>
            ))}
          </ul>
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
