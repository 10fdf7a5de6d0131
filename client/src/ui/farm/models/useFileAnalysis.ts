/** Analyses a chosen file in the model worker (comlink), with progress. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { proxy, wrap, type Remote } from 'comlink';
import type { FileAnalysis, ModelWorkerApi } from '../../../workers/modelWorker.js';

export type AnalysisState =
  | { kind: 'idle' }
  | { kind: 'reading'; file: File; progress: number }
  | { kind: 'ready'; file: File; analysis: FileAnalysis }
  | { kind: 'failed'; file: File; message: string };

export function useFileAnalysis() {
  const worker = useRef<{ worker: Worker; api: Remote<ModelWorkerApi> } | null>(null);
  const round = useRef(0);
  const [state, setState] = useState<AnalysisState>({ kind: 'idle' });

  useEffect(
    () => () => {
      worker.current?.worker.terminate();
      worker.current = null;
    },
    [],
  );

  const analyze = useCallback(async (file: File) => {
    const mine = ++round.current;
    setState({ kind: 'reading', file, progress: 0 });
    if (!worker.current) {
      const w = new Worker(new URL('../../../workers/modelWorker.ts', import.meta.url), { type: 'module', name: 'model-reader' });
      worker.current = { worker: w, api: wrap<ModelWorkerApi>(w) };
    }
    // Progress calls come through their own channel and may arrive after the result.
    let settled = false;
    const onProgress = proxy((fraction: number) => {
      if (round.current === mine && !settled) setState({ kind: 'reading', file, progress: Math.round(fraction * 100) });
    });
    try {
      const analysis = await worker.current.api.analyze(file, onProgress);
      settled = true;
      if (round.current === mine) setState({ kind: 'ready', file, analysis });
    } catch (err) {
      settled = true;
      if (round.current === mine) setState({ kind: 'failed', file, message: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  const reset = useCallback(() => {
    round.current++;
    setState({ kind: 'idle' });
  }, []);

  return { state, analyze, reset };
}
