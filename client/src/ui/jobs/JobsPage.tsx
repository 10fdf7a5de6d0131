import { useMemo } from 'react';
import type { Job } from '@fleetsync/shared';
import { useCollection } from '../../hooks/useCollection.js';
import { useReady } from '../appContext.js';
import { CollectionPage } from '../CollectionPage.js';
import type { Column } from '../DocTable.js';
import { JobForm } from './JobForm.js';
import { STATUS_LABELS } from './jobValues.js';

export function JobsPage() {
  const { orgId } = useReady();
  const printers = useCollection('printers', orgId);
  const columns = useMemo((): Column<Job>[] => {
    const printerName = new Map(printers.map((p) => [p.id, p.name]));
    return [
      { header: 'Name', cell: (j) => j.name },
      { header: 'Status', cell: (j) => STATUS_LABELS[j.status] },
      { header: 'Priority', cell: (j) => j.priority },
      { header: 'Copies', cell: (j) => j.copies },
      { header: 'Material', cell: (j) => j.material ?? 'Any' },
      { header: 'Printer', cell: (j) => (j.printerId ? (printerName.get(j.printerId) ?? 'Unknown printer') : '—') },
    ];
  }, [printers]);
  return (
    <CollectionPage
      name="jobs"
      title="Jobs"
      singular="job"
      columns={columns}
      renderForm={(doc, orgId, onDone) => <JobForm doc={doc} orgId={orgId} onDone={onDone} />}
    />
  );
}
