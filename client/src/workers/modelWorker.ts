/**
 * Reads a print file off the main thread: SHA-256 of its bytes (crypto.subtle) and its
 * slicer metadata (shared/src/metadata). The file is read in chunks, so G-code metadata is
 * parsed as it streams by and progress can be reported; crypto.subtle has no incremental
 * digest, so the chunks are gathered into one buffer and digested once at the end.
 */
import { expose } from 'comlink';
import { createGcodeMetadataParser, readThreeMf, type PrintFileMetadata } from '@fleetsync/shared/metadata';

const CHUNK_BYTES = 4 * 1024 * 1024;

export interface FileAnalysis {
  name: string;
  sizeBytes: number;
  kind: 'gcode' | '3mf';
  sha256: string;
  metadata: PrintFileMetadata;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function analyze(file: File, onProgress?: (fraction: number) => void): Promise<FileAnalysis> {
  const bytes = new Uint8Array(file.size);
  let kind: FileAnalysis['kind'] = /\.3mf$/i.test(file.name) ? '3mf' : 'gcode';
  let parser: ReturnType<typeof createGcodeMetadataParser> | null = null;
  const decoder = new TextDecoder();
  for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
    const chunk = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    // A zip (3MF) starts with "PK\x03\x04" whatever its name says.
    if (offset === 0 && chunk[0] === 0x50 && chunk[1] === 0x4b && chunk[2] === 0x03 && chunk[3] === 0x04) kind = '3mf';
    if (offset === 0 && kind === 'gcode') parser = createGcodeMetadataParser();
    bytes.set(chunk, offset);
    parser?.push(decoder.decode(chunk, { stream: true }));
    onProgress?.(Math.min(1, (offset + chunk.length) / file.size) * 0.9);
  }
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  let metadata: PrintFileMetadata = {};
  if (parser) {
    parser.push(decoder.decode());
    metadata = parser.finish();
  } else if (kind === '3mf') {
    try {
      metadata = readThreeMf(bytes);
    } catch {
      metadata = {};
    }
  }
  onProgress?.(1);
  return { name: file.name, sizeBytes: file.size, kind, sha256: hex(digest), metadata };
}

const api = { analyze };
export type ModelWorkerApi = typeof api;

expose(api);
