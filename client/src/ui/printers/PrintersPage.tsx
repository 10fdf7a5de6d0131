import type { Printer } from '@fleetsync/shared';
import { CollectionPage } from '../CollectionPage.js';
import type { Column } from '../DocTable.js';
import { PrinterForm } from './PrinterForm.js';
import { PROTOCOL_LABELS } from './printerValues.js';

const COLUMNS: Column<Printer>[] = [
  { header: 'Name', cell: (p) => p.name },
  { header: 'Model', cell: (p) => p.model },
  { header: 'Protocol', cell: (p) => PROTOCOL_LABELS[p.protocol] },
  { header: 'Status', cell: (p) => (p.status === 'printing' ? `printing ${Math.round(p.progress)}%` : p.status) },
  { header: 'Bed (mm)', cell: (p) => `${p.bedWidthMm} × ${p.bedDepthMm}` },
  { header: 'Location', cell: (p) => p.location ?? '' },
  { header: 'Tags', cell: (p) => p.tags.join(', ') },
];

export function PrintersPage() {
  return (
    <CollectionPage
      name="printers"
      title="Printers"
      singular="printer"
      columns={COLUMNS}
      renderForm={(doc, orgId, onDone) => <PrinterForm doc={doc} orgId={orgId} onDone={onDone} />}
    />
  );
}
