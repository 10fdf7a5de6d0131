/** The typed API of the metadata worker, imported by both sides (STYLE 11: one comlink API per worker). */
import type { PrintFileMetadata } from './sharedMetadata.js';

export interface MetadataWorkerApi {
  /** Read a sliced file from disk (G-code in chunks, or a 3MF) and extract its metadata. */
  extractFile(path: string): Promise<PrintFileMetadata>;
}
