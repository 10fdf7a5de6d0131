/** The one message contract of the print-farm worker thread, imported by both sides. */
import type { PrintFileMetadata } from '@fleetsync/shared/metadata';
import type { TextPdf } from './pdfWriter.js';

export type ModelFileKind = 'gcode' | '3mf';

export type FarmTask = { kind: 'metadata'; path: string; format: ModelFileKind } | { kind: 'pdf'; doc: TextPdf };

export interface FarmTaskResult {
  metadata: PrintFileMetadata;
  pdf: Uint8Array;
}

export type FarmReply = { ok: true; value: unknown } | { ok: false; error: string };
