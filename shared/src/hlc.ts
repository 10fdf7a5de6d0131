/**
 * Hybrid logical clock (Kulkarni et al.). A timestamp is a fixed-width string
 * `<wall ms, 13 digits>:<counter, 5 digits>:<node id>` so that plain string
 * comparison orders timestamps: later wall time wins, then the higher counter,
 * then the node id as a deterministic tie-break (see docs/adr/002).
 */
export interface HlcState {
  wall: number;
  counter: number;
}

export interface Hlc {
  readonly nodeId: string;
  /** A timestamp for a local event, later than every timestamp seen so far. */
  now(): string;
  /** Advance past a timestamp received from another replica. */
  observe(timestamp: string): void;
}

const MAX_COUNTER = 99_999;

export function formatHlc(wall: number, counter: number, nodeId: string): string {
  return `${String(wall).padStart(13, '0')}:${String(counter).padStart(5, '0')}:${nodeId}`;
}

export function parseHlc(timestamp: string): { wall: number; counter: number; nodeId: string } | null {
  const m = /^(\d{13}):(\d{5}):(.+)$/.exec(timestamp);
  if (!m) return null;
  return { wall: Number(m[1]), counter: Number(m[2]), nodeId: m[3] as string };
}

export function createHlc(nodeId: string, physicalNow: () => number = Date.now): Hlc {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(nodeId)) throw new Error(`invalid HLC node id: ${nodeId}`);
  const state: HlcState = { wall: 0, counter: 0 };
  return {
    nodeId,
    now() {
      const pt = physicalNow();
      if (pt > state.wall) {
        state.wall = pt;
        state.counter = 0;
      } else {
        state.counter += 1;
        if (state.counter > MAX_COUNTER) {
          state.wall += 1;
          state.counter = 0;
        }
      }
      return formatHlc(state.wall, state.counter, nodeId);
    },
    observe(timestamp) {
      const seen = parseHlc(timestamp);
      if (!seen) return;
      if (seen.wall > state.wall || (seen.wall === state.wall && seen.counter > state.counter)) {
        state.wall = seen.wall;
        state.counter = seen.counter;
      }
    },
  };
}
