/**
 * The fleet grid (#/fleet): live cards of every printer of the organization, filters, a
 * polite announcement when a printer changes state, and bulk tagging of selected printers.
 */
import { useMemo, useState } from 'react';
import { can, type Printer } from '@fleetsync/shared';
import { useCollection } from '../../../hooks/useCollection.js';
import { useReady } from '../../appContext.js';
import { BulkOutcomes } from '../common/BulkOutcomes.js';
import { useBulkAction } from '../common/useBulkAction.js';
import { usePageTitle } from '../common/usePageTitle.js';
import { usePrincipal } from '../common/usePrincipal.js';
import { AddTagBar } from './AddTagBar.js';
import { FleetFilters, matches, NO_FILTERS, type Filters } from './FleetFilters.js';
import { PrinterCard } from './PrinterCard.js';
import { STATUS_SHORT, type PrinterStatus } from './printerStatus.js';
import { useStatusAnnouncer } from './useStatusAnnouncer.js';

function summary(printers: readonly Printer[]): string {
  const counts = new Map<PrinterStatus, number>();
  for (const p of printers) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${STATUS_SHORT[s].toLowerCase()}`);
  return `${printers.length} ${printers.length === 1 ? 'printer' : 'printers'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function FleetPage() {
  const headingRef = usePageTitle('Fleet');
  const { orgId } = useReady();
  const principal = usePrincipal();
  const docs = useCollection('printers', orgId);
  const printers = useMemo(
    () =>
      docs
        .filter((d) => can(principal, 'printers.read', { orgId: d.orgId }))
        .map((d) => d.toJSON() as Printer)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [docs, principal],
  );
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const announcement = useStatusAnnouncer(printers);
  const bulk = useBulkAction('/api/printers/bulk-update');

  const tags = useMemo(() => [...new Set(printers.flatMap((p) => p.tags))].sort(), [printers]);
  const shown = printers.filter((p) => matches(p, filters));
  const canTag = orgId !== null && can(principal, 'printers.update', { orgId });
  const names = new Map(printers.map((p) => [p.id, p.name]));
  const liveSelected = [...selected].filter((id) => names.has(id));

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const addTag = (tag: string) => {
    void bulk.run(`Add tag "${tag}"`, { ids: liveSelected, addTags: [tag] }).then((out) => {
      if (out) setSelected(new Set());
    });
  };

  return (
    <section aria-labelledby="fleet-heading" className={liveSelected.length > 0 ? 'farm-page has-bulk-bar' : 'farm-page'}>
      <div className="page-head">
        <h1 id="fleet-heading" ref={headingRef} tabIndex={-1}>
          Fleet
        </h1>
        <p className="fleet-summary">{summary(printers)}</p>
      </div>
      <div className="visually-hidden" aria-live="polite" role="status" data-testid="fleet-announcer">
        {announcement}
      </div>
      <FleetFilters value={filters} onChange={setFilters} tags={tags} />
      <div className="fleet-tools">
        <p className="muted" role="status">
          Showing {shown.length} of {printers.length}
        </p>
        {canTag && shown.length > 0 && (
          <button type="button" onClick={() => setSelected(new Set(shown.map((p) => p.id)))}>
            Select all shown
          </button>
        )}
      </div>
      <BulkOutcomes state={bulk.state} nameOf={(id) => names.get(id) ?? id} onDismiss={bulk.reset} />
      {printers.length === 0 ? (
        <p className="empty">No printers yet. Add one on the Printers page.</p>
      ) : shown.length === 0 ? (
        <p className="empty">No printer matches these filters.</p>
      ) : (
        <ul className="fleet-grid" aria-label="Printers">
          {shown.map((p) => (
            <PrinterCard
              key={p.id}
              printer={p}
              selection={canTag ? { selected: selected.has(p.id), onToggle: toggle } : undefined}
            />
          ))}
        </ul>
      )}
      {canTag && liveSelected.length > 0 && (
        <AddTagBar
          count={liveSelected.length}
          busy={bulk.state.kind === 'busy'}
          onAddTag={addTag}
          onClear={() => setSelected(new Set())}
        />
      )}
    </section>
  );
}
