/**
 * The job queue (#/queue): submit, reorder waiting jobs (Move up / Move down change the
 * priority), and act on several jobs at once through POST /api/jobs/bulk-update.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { can, type Job } from '@fleetsync/shared';
import { useCollection } from '../../../hooks/useCollection.js';
import { useReady } from '../../appContext.js';
import { SelectField } from '../../form/fields.js';
import { BulkOutcomes } from '../common/BulkOutcomes.js';
import { useBulkAction } from '../common/useBulkAction.js';
import { usePageTitle } from '../common/usePageTitle.js';
import { usePrincipal } from '../common/usePrincipal.js';
import { JobBulkBar, type BulkJobAction } from './JobBulkBar.js';
import { ACTIVE, byQueueOrder, FINISHED, moveWrites, WAITING } from './queueOrder.js';
import { QueueTable, type QueueRow } from './QueueTable.js';
import { SubmitJobForm } from './SubmitJobForm.js';

const SHOW = [
  { value: 'active', label: 'Queued and printing' },
  { value: 'finished', label: 'Finished, failed and cancelled' },
  { value: 'all', label: 'All jobs' },
];

const BULK_TEXT: Record<BulkJobAction['action'], string> = {
  cancel: 'Cancel jobs',
  priority: 'Change priority',
  reassign: 'Reassign printer',
  delete: 'Delete jobs',
};

export function QueuePage() {
  const headingRef = usePageTitle('Queue');
  const { orgId } = useReady();
  const principal = usePrincipal();
  const jobDocs = useCollection('jobs', orgId);
  const printerDocs = useCollection('printers', orgId);
  const [show, setShow] = useState('active');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [moved, setMoved] = useState<{ id: string; dir: -1 | 1; text: string } | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const bulk = useBulkAction('/api/jobs/bulk-update');

  const printers = useMemo(
    () => printerDocs.map((p) => ({ id: p.id, name: p.name })).sort((a, b) => a.name.localeCompare(b.name)),
    [printerDocs],
  );
  const printerNames = new Map(printers.map((p) => [p.id, p.name]));
  const jobs = useMemo(() => jobDocs.map((d) => d.toJSON() as Job).sort(byQueueOrder), [jobDocs]);
  const waiting = jobs.filter((j) => WAITING.has(j.status));
  const shownSet = show === 'active' ? ACTIVE : show === 'finished' ? FINISHED : null;
  const rows: QueueRow[] = jobs
    .filter((j) => !shownSet || shownSet.has(j.status))
    .map((job) => ({
      job,
      canEdit: can(principal, 'jobs.update', { orgId: job.orgId, createdBy: job.createdBy ?? null }),
      waitingIndex: waiting.findIndex((w) => w.id === job.id),
    }));
  const names = new Map(jobs.map((j) => [j.id, j.name]));
  const liveSelected = [...selected].filter((id) => names.has(id));

  // After a move, keep focus on the moved job's button (or its other one at the ends).
  useEffect(() => {
    if (!moved) return;
    const root = tableRef.current;
    const button =
      root?.querySelector<HTMLButtonElement>(`[data-move="${moved.id}:${moved.dir}"]:not([disabled])`) ??
      root?.querySelector<HTMLButtonElement>(`[data-move="${moved.id}:${-moved.dir}"]`);
    if (button && document.activeElement !== button) button.focus();
  }, [moved, jobs]);

  const move = async (job: Job, dir: -1 | 1) => {
    const index = waiting.findIndex((w) => w.id === job.id);
    const writes = moveWrites(waiting, index, dir);
    for (const [id, priority] of writes) {
      await jobDocs.find((d) => d.id === id)?.incrementalModify((d) => ({ ...d, priority }));
    }
    setMoved({
      id: job.id,
      dir,
      text: `${job.name} moved ${dir === -1 ? 'up' : 'down'} to position ${index + dir + 1} of ${waiting.length}.`,
    });
  };

  const runBulk = (a: BulkJobAction) => {
    const body = { ids: liveSelected, action: a.action, ...('value' in a ? { value: a.value } : {}) };
    void bulk.run(BULK_TEXT[a.action], body).then((out) => {
      if (out) setSelected(new Set(out.filter((o) => !o.ok).map((o) => o.id)));
    });
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const selectable = rows.filter((r) => r.canEdit).map((r) => r.job.id);

  return (
    <div className={liveSelected.length > 0 ? 'farm-page has-bulk-bar' : 'farm-page'}>
      <div className="page-head">
        <h1 ref={headingRef} tabIndex={-1}>
          Queue
        </h1>
        <p className="fleet-summary">
          {waiting.length} waiting · {jobs.filter((j) => j.status === 'printing' || j.status === 'paused').length} printing
        </p>
      </div>
      <SubmitJobForm />
      <section aria-labelledby="queue-list-heading" className="queue-list">
        <div className="list-head">
          <h2 id="queue-list-heading">Jobs</h2>
          <SelectField label="Show" value={show} onChange={setShow} options={SHOW} />
          {selectable.length > 0 && (
            <button type="button" onClick={() => setSelected(new Set(selectable))}>
              Select all shown
            </button>
          )}
        </div>
        <p className="visually-hidden" role="status" aria-live="polite">
          {moved?.text}
        </p>
        <BulkOutcomes state={bulk.state} nameOf={(id) => names.get(id) ?? id} onDismiss={bulk.reset} />
        <div ref={tableRef}>
          {rows.length === 0 ? (
            <p className="empty">No jobs to show.</p>
          ) : (
            <QueueTable
              rows={rows}
              waitingCount={waiting.length}
              printerName={(id) => (id ? (printerNames.get(id) ?? 'Unknown printer') : 'Any printer')}
              selected={selected}
              onToggle={toggle}
              onMove={(job, dir) => void move(job, dir)}
            />
          )}
        </div>
      </section>
      {liveSelected.length > 0 && (
        <JobBulkBar
          count={liveSelected.length}
          busy={bulk.state.kind === 'busy'}
          printers={printers}
          onRun={runBulk}
          onClear={() => setSelected(new Set())}
        />
      )}
    </div>
  );
}
