/** The model library (#/models): upload files (new models or revisions) and browse revisions. */
import { useState } from 'react';
import { useReady } from '../../appContext.js';
import { parseModels } from '../api/modelTypes.js';
import { withOrg } from '../api/farmApi.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { LoadState } from '../common/LoadState.js';
import { formatWhen } from '../common/format.js';
import { usePageTitle } from '../common/usePageTitle.js';
import { RevisionList } from './RevisionList.js';
import { UploadPanel } from './UploadPanel.js';

export function ModelsPage() {
  const headingRef = usePageTitle('Models');
  const { orgId } = useReady();
  const { state, reload } = useFarmQuery(withOrg('/api/models', orgId), parseModels);
  const [open, setOpen] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const models = state.kind === 'ok' ? state.data : [];

  return (
    <div className="farm-page">
      <div className="page-head">
        <h1 ref={headingRef} tabIndex={-1}>
          Models
        </h1>
      </div>
      <UploadPanel
        models={models}
        canUpload={state.kind === 'ok'}
        orgId={orgId}
        onUploaded={(id) => {
          reload();
          setRound((r) => r + 1);
          setOpen(id);
        }}
      />
      <section className="panel" aria-labelledby="model-list-heading">
        <h2 id="model-list-heading">Library</h2>
        <LoadState state={state} what="The model library" onRetry={reload}>
          {(list) =>
            list.length === 0 ? (
              <p className="empty">No models yet. Upload a G-code or 3MF file to start.</p>
            ) : (
              <ul className="model-list">
                {list.map((m) => {
                  const expanded = open === m.id;
                  return (
                    <li key={m.id} className="model-item" data-testid={`model-${m.id}`}>
                      <div className="model-head">
                        <h3>{m.name}</h3>
                        <p className="muted">
                          {m.latestNumber ? `Latest: revision ${m.latestNumber}` : 'No revision yet'}
                          {m.updatedAt ? ` · added ${formatWhen(m.updatedAt)}` : ''}
                        </p>
                        <button
                          type="button"
                          aria-expanded={expanded}
                          aria-controls={`revisions-${m.id}`}
                          onClick={() => setOpen(expanded ? null : m.id)}
                        >
                          {expanded ? 'Hide revisions' : 'Show revisions'}
                          <span className="visually-hidden"> of {m.name}</span>
                        </button>
                      </div>
                      <div id={`revisions-${m.id}`} hidden={!expanded}>
                        {expanded && <RevisionList key={round} modelId={m.id} />}
                      </div>
                    </li>
                  );
                })}
              </ul>
            )
          }
        </LoadState>
      </section>
    </div>
  );
}
