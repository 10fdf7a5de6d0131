/** A human name for a document of any collection (attention list, buttons' accessible names). */
export function docLabel(collection: string, data: Record<string, unknown>, fallback: string): string {
  const text = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
  if (collection === 'spools') {
    const label = [text('brand'), text('colour'), text('material')].filter(Boolean).join(' ');
    return label || fallback;
  }
  return text('name') || fallback;
}

export const COLLECTION_LABELS: Record<string, string> = {
  printers: 'Printer',
  jobs: 'Job',
  spools: 'Spool',
  commands: 'Command',
};
