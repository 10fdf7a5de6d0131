/**
 * A printable label with a QR code of this printer's page. "Print label" switches the print
 * stylesheet to the label only (html.printing-label) for the duration of the print dialog.
 */
import { useMemo } from 'react';
import QRCode from 'qrcode';
import { printerHref } from '../fleet/printerStatus.js';

function qrPath(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let path = '';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) path += `M${x + 4} ${y + 4}h1v1h-1z`;
  }
  return { size: modules.size + 8, path };
}

export function printLabel() {
  const root = document.documentElement;
  const done = () => {
    root.classList.remove('printing-label');
    globalThis.removeEventListener('afterprint', done);
  };
  root.classList.add('printing-label');
  globalThis.addEventListener('afterprint', done);
  globalThis.print();
}

export function QrLabel({ printerId, name, location }: { printerId: string; name: string; location?: string | undefined }) {
  const url = `${globalThis.location.origin}${globalThis.location.pathname}${printerHref(printerId)}`;
  const qr = useMemo(() => qrPath(url), [url]);
  return (
    <div className="qr-block">
      <figure className="qr-label" data-testid="qr-label">
        <svg
          viewBox={`0 0 ${qr.size} ${qr.size}`}
          role="img"
          aria-label={`QR code linking to ${url}`}
          className="qr-code"
          shapeRendering="crispEdges"
        >
          <rect width={qr.size} height={qr.size} fill="#fff" />
          <path d={qr.path} fill="#000" />
        </svg>
        <figcaption>
          <strong className="qr-name">{name}</strong>
          {location && <span className="qr-location">{location}</span>}
          <span className="qr-url">{url}</span>
        </figcaption>
      </figure>
      <button type="button" onClick={printLabel}>
        Print label
      </button>
    </div>
  );
}
