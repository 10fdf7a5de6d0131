/** Writes the server refused, kept until a person dismisses them (SPEC S-P8). */
import { useAttention } from '../../hooks/useAttention.js';
import { useReady } from '../appContext.js';
import { COLLECTION_LABELS, docLabel } from '../docLabel.js';

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
};

export function AttentionPage() {
  const { workspace } = useReady();
  const items = useAttention();
  const dismiss = (id: string) => {
    void workspace.store.db.attention
      .findOne(id)
      .exec()
      .then((doc) => doc?.remove());
  };
  return (
    <section aria-labelledby="attention-heading">
      <div className="page-head">
        <h1 id="attention-heading" tabIndex={-1}>
          Needs attention
        </h1>
      </div>
      <p className="intro">
        The server refused these changes, so they were undone on this device. Review each one, redo it if it still makes sense,
        then dismiss it.
      </p>
      {items.length === 0 ? (
        <p className="empty">Nothing needs attention.</p>
      ) : (
        <ul className="attention-list">
          {items.map((item) => {
            const name = docLabel(item.collectionName, item.attempted, item.docId);
            return (
              <li key={item.id} className="attention-item" data-testid={`attention-${item.docId}`}>
                <h2>
                  <span className="kind">{COLLECTION_LABELS[item.collectionName] ?? item.collectionName}</span> {name}
                </h2>
                <dl>
                  <dt>Code</dt>
                  <dd>
                    <code>{item.code}</code>
                  </dd>
                  <dt>Message</dt>
                  <dd>{item.message}</dd>
                  <dt>When</dt>
                  <dd>
                    <time dateTime={item.at}>{when(item.at)}</time>
                  </dd>
                </dl>
                <button type="button" onClick={() => dismiss(item.id)}>
                  Dismiss<span className="visually-hidden"> {name}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
