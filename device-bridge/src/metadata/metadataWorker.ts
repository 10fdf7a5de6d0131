/**
 * Worker thread: extracts print-file metadata off the bridge's main thread. G-code is streamed
 * in 1 MiB chunks through the shared parser, which keeps only matching comment lines.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import type { MetadataWorkerApi } from './metadataApi.js';
import { nodeEndpoint } from './nodeEndpoint.js';
import { createGcodeMetadataParser, readThreeMf } from './sharedMetadata.js';

const api: MetadataWorkerApi = {
  async extractFile(path) {
    if (/\.3mf$/i.test(path)) return readThreeMf(await readFile(path));
    const parser = createGcodeMetadataParser();
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
    for await (const chunk of stream) parser.push(chunk as string);
    return parser.finish();
  },
};

if (!parentPort) throw new Error('metadataWorker must run in a worker thread');
expose(api, nodeEndpoint(parentPort));
