/** Tag, status and protocol filters of the fleet grid (native, labelled selects). */
import { PRINTER_PROTOCOLS } from '@fleetsync/shared';
import { SelectField } from '../../form/fields.js';
import { PROTOCOL_LABELS } from '../../printers/printerValues.js';
import { STATUS_OPTIONS } from './printerStatus.js';

export interface Filters {
  tag: string;
  status: string;
  protocol: string;
}

export const NO_FILTERS: Filters = { tag: '', status: '', protocol: '' };

interface Props {
  value: Filters;
  onChange: (next: Filters) => void;
  tags: readonly string[];
}

const PROTOCOLS = PRINTER_PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] }));

export function FleetFilters({ value, onChange, tags }: Props) {
  const set = (field: keyof Filters) => (v: string) => onChange({ ...value, [field]: v });
  const active = value.tag !== '' || value.status !== '' || value.protocol !== '';
  return (
    <form className="fleet-filters" role="search" aria-label="Filter printers" onSubmit={(e) => e.preventDefault()}>
      <SelectField
        label="Tag"
        value={value.tag}
        onChange={set('tag')}
        options={[{ value: '', label: 'All' }, ...tags.map((t) => ({ value: t, label: t }))]}
      />
      <SelectField
        label="Status"
        value={value.status}
        onChange={set('status')}
        options={[{ value: '', label: 'All' }, ...STATUS_OPTIONS]}
      />
      <SelectField
        label="Protocol"
        value={value.protocol}
        onChange={set('protocol')}
        options={[{ value: '', label: 'All' }, ...PROTOCOLS]}
      />
      {active && (
        <button type="button" className="filters-clear" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}

export function matches(p: { tags: string[]; status: string; protocol: string }, f: Filters): boolean {
  return (!f.tag || p.tags.includes(f.tag)) && (!f.status || p.status === f.status) && (!f.protocol || p.protocol === f.protocol);
}
