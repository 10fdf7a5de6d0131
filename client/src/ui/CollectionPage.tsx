/**
 * One page per collection: heading, "New …" button, the form when creating or editing,
 * and the list. Buttons are shown only when the user's capabilities allow the action.
 */
import { useMemo, useRef, useState, type ReactNode } from 'react';
import type { RxDocument } from 'rxdb';
import { can } from '@fleetsync/shared';
import type { DocOf } from '../db/types.js';
import { useRejections } from '../hooks/useAttention.js';
import { useCollection } from '../hooks/useCollection.js';
import { principalFromMe } from '../session/principal.js';
import { useReady } from './appContext.js';
import { docLabel } from './docLabel.js';
import { DocTable, type Column, type Row } from './DocTable.js';
import type { FormCollection } from './form/useDocForm.js';

type Editing = { mode: 'new' } | { mode: 'edit'; id: string } | null;

interface Props<N extends FormCollection> {
  name: N;
  title: string;
  singular: string;
  columns: readonly Column<DocOf<N>>[];
  renderForm: (doc: RxDocument<DocOf<N>> | undefined, orgId: string, onDone: () => void) => ReactNode;
}

export function CollectionPage<N extends FormCollection>({ name, title, singular, columns, renderForm }: Props<N>) {
  const { session, me, orgId } = useReady();
  const principal = useMemo(() => principalFromMe(session.userId, me), [session.userId, me]);
  const docs = useCollection(name, orgId);
  const rejections = useRejections();
  const [editing, setEditing] = useState<Editing>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = `${name}-heading`;

  const rows = useMemo((): Row<DocOf<N>>[] => {
    const out: Row<DocOf<N>>[] = [];
    for (const d of docs) {
      const ref = { orgId: d.orgId, createdBy: d.createdBy ?? null };
      if (!can(principal, `${name}.read`, ref)) continue;
      const data = d.toJSON() as DocOf<N>;
      out.push({ id: d.id, data, label: docLabel(name, data, d.id), canEdit: can(principal, `${name}.update`, ref) });
    }
    return out.sort((a, b) => a.label.localeCompare(b.label));
  }, [docs, principal, name]);

  const canCreate = orgId !== null && can(principal, `${name}.create`, { orgId, createdBy: null });
  const editedDoc = editing?.mode === 'edit' ? docs.find((d) => d.id === editing.id) : undefined;
  const formOpen = editing?.mode === 'new' || editedDoc !== undefined;
  const formOrg = editedDoc?.orgId ?? orgId;
  const done = () => {
    setEditing(null);
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  return (
    <section aria-labelledby={headingId}>
      <div className="page-head">
        <h1 id={headingId} ref={headingRef} tabIndex={-1}>
          {title}
        </h1>
        {canCreate && !formOpen && (
          <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
            New {singular}
          </button>
        )}
      </div>
      {formOpen && formOrg !== null && <div key={editedDoc?.id ?? 'new'}>{renderForm(editedDoc, formOrg, done)}</div>}
      <DocTable
        captionId={headingId}
        columns={columns}
        rows={rows}
        rejections={rejections}
        emptyText={`No ${title.toLowerCase()} yet.`}
        onEdit={(id) => setEditing({ mode: 'edit', id })}
      />
    </section>
  );
}
