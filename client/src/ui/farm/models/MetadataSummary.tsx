/** What the slicer wrote about a file: time, filament, printer model, nozzle, bed. */
import type { PrintFileMetadata } from '@fleetsync/shared/metadata';
import { formatDuration, formatGrams } from '../common/format.js';

export function metadataFacts(m: PrintFileMetadata): [string, string][] {
  const grams =
    m.totalFilamentGrams ?? (m.filamentUsedGrams?.length ? m.filamentUsedGrams.reduce((a, b) => a + b, 0) : undefined);
  const facts: [string, string][] = [
    ['Estimated time', formatDuration(m.estimatedSeconds)],
    ['Filament', formatGrams(grams)],
    ['Filament type', m.filamentTypes?.length ? [...new Set(m.filamentTypes)].join(', ') : '—'],
    ['Printer model', m.printerModel ?? m.printerModelId ?? '—'],
    ['Nozzle', m.nozzleDiameterMm?.length ? `${[...new Set(m.nozzleDiameterMm)].join(', ')} mm` : '—'],
    ['Bed size', m.printableArea ? `${m.printableArea.widthMm} × ${m.printableArea.depthMm} mm` : '—'],
  ];
  if (m.slicer) facts.push(['Slicer', [m.slicer, m.slicerVersion].filter(Boolean).join(' ')]);
  return facts;
}

export function MetadataSummary({ metadata }: { metadata: PrintFileMetadata }) {
  return (
    <dl className="facts">
      {metadataFacts(metadata).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
