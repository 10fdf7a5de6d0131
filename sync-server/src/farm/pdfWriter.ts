/**
 * A minimal PDF 1.4 writer for text reports: Courier (a standard font, nothing embedded),
 * A4 pages of monospaced lines, uncompressed content streams (so the text can be read back),
 * and an exact cross-reference table.
 */
export interface TextPdf {
  title: string;
  lines: readonly string[];
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 40;
const FONT_SIZE = 8;
const LEADING = 11;
const LINES_PER_PAGE = Math.floor((PAGE_HEIGHT - 2 * MARGIN) / LEADING);
/** Courier glyphs are 0.6 em wide. */
const CHARS_PER_LINE = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (FONT_SIZE * 0.6));

/** A PDF literal string body: Latin-1 only, with `\`, `(` and `)` escaped. */
export function pdfText(s: string): string {
  const latin1 = [...s].map((ch) => (ch.charCodeAt(0) <= 0xff && ch.charCodeAt(0) >= 0x20 ? ch : '?')).join('');
  return latin1.replace(/[\\()]/g, (c) => `\\${c}`);
}

export function writeTextPdf(doc: TextPdf): Buffer {
  const lines = doc.lines.map((l) => (l.length > CHARS_PER_LINE ? `${l.slice(0, CHARS_PER_LINE - 1)}~` : l));
  const pages: string[][] = [];
  for (let i = 0; i < Math.max(lines.length, 1); i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));

  // Object numbers: 1 catalog, 2 pages, 3 font, 4 info, then a page and its content per page.
  const pageObj = (i: number) => 5 + 2 * i;
  const objects: string[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageObj(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Title (${pdfText(doc.title)}) /Producer (Fleetsync) >>`;
  pages.forEach((pageLines, i) => {
    const body = [
      'BT',
      `/F1 ${FONT_SIZE} Tf`,
      `${LEADING} TL`,
      `${MARGIN} ${PAGE_HEIGHT - MARGIN} Td`,
      ...pageLines.map((l) => `(${pdfText(l)}) Tj T*`),
      'ET',
    ].join('\n');
    objects[pageObj(i)] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      `/Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObj(i) + 1} 0 R >>`;
    objects[pageObj(i) + 1] = `<< /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`;
  });

  // Header with a binary comment line, as the spec recommends for files with 8-bit text.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n += 1) {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(out, 'latin1');
  // Every xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte EOL.
  out += `xref\n0 ${objects.length}\n0000000000 65535 f\r\n`;
  for (let n = 1; n < objects.length; n += 1) out += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
