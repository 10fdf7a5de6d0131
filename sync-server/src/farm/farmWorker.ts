/**
 * Worker thread for the print farm's heavy work: slicer metadata from an uploaded file (G-code
 * streamed in 1 MiB chunks through the shared parser, 3MF unzipped) and PDF rendering. One task
 * per worker, given as workerData; the reply is posted once.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { createGcodeMetadataParser, readThreeMf, type PrintFileMetadata } from '@fleetsync/shared/metadata';
import type { FarmReply, FarmTask } from './farmWorkerApi.js';
import { writeTextPdf } from './pdfWriter.js';

async function extract(path: string, format: 'gcode' | '3mf'): Promise<PrintFileMetadata> {
  if (format === '3mf') return readThreeMf(await readFile(path));
  const parser = createGcodeMetadataParser();
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  for await (const chunk of stream) parser.push(chunk as string);
  return parser.finish();
}

async function run(task: FarmTask): Promise<unknown> {
  if (task.kind === 'metadata') return extract(task.path, task.format);
  return new Uint8Array(writeTextPdf(task.doc));
}

if (!parentPort) throw new Error('farmWorker must run in a worker thread');
const port = parentPort;
run(workerData as FarmTask).then(
  (value) => port.postMessage({ ok: true, value } satisfies FarmReply),
  (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies FarmReply),
);
