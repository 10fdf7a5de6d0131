/** Files stored on a simulated printer, and how long each would print (from its own metadata). */
import { extractGcodeMetadata, readThreeMf } from '../metadata/sharedMetadata.js';

export interface PrintPlan {
  durationS?: number;
  totalLayers?: number;
}

export class PrintFiles {
  private readonly files = new Map<string, Uint8Array>();

  put(name: string, bytes: Uint8Array): void {
    this.files.set(name, bytes);
  }

  get(name: string): Uint8Array | undefined {
    return this.files.get(name);
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  names(): string[] {
    return [...this.files.keys()];
  }

  /** Time and layers the slicer wrote into the file; unknown values are left to the printer's defaults. */
  plan(name: string): PrintPlan {
    const bytes = this.files.get(name);
    if (!bytes) return {};
    try {
      if (/\.3mf$/i.test(name)) {
        const meta = readThreeMf(bytes);
        return { durationS: meta.plates?.[0]?.estimatedSeconds ?? meta.estimatedSeconds, totalLayers: meta.totalLayers };
      }
      const meta = extractGcodeMetadata(Buffer.from(bytes).toString('utf8'));
      return { durationS: meta.estimatedSeconds, totalLayers: meta.totalLayers };
    } catch {
      return {};
    }
  }
}
