import type { Spool } from '@fleetsync/shared';
import { CollectionPage } from '../CollectionPage.js';
import type { Column } from '../DocTable.js';
import { SpoolForm } from './SpoolForm.js';

const grams = (n: number) => `${Math.round(n)} g`;

const COLUMNS: Column<Spool>[] = [
  {
    header: 'Colour',
    cell: (s) => (
      <>
        {s.colourHex && <span className="swatch" style={{ background: s.colourHex }} aria-hidden="true" />}
        {s.colour}
      </>
    ),
  },
  { header: 'Material', cell: (s) => s.material },
  { header: 'Brand', cell: (s) => s.brand ?? '' },
  { header: 'Remaining', cell: (s) => `${grams(s.remainingGrams)} of ${grams(s.totalGrams)}` },
  { header: 'Cost per kg', cell: (s) => s.costPerKg.toFixed(2) },
];

export function SpoolsPage() {
  return (
    <CollectionPage
      name="spools"
      title="Spools"
      singular="spool"
      columns={COLUMNS}
      renderForm={(doc, orgId, onDone) => <SpoolForm doc={doc} orgId={orgId} onDone={onDone} />}
    />
  );
}
