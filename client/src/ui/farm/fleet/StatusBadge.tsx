import type { PrinterStatus } from './printerStatus.js';
import { STATUS_TEXT } from './printerStatus.js';

/** The printer state as text on a tinted badge (the colour only repeats the word). */
export function StatusBadge({ status }: { status: PrinterStatus }) {
  return (
    <span className={`status-badge status-${status}`} data-testid="printer-status">
      {STATUS_TEXT[status]}
    </span>
  );
}
