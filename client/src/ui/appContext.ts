/** React access to the session controller and, inside the signed-in shell, its ready state. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AppState, ReadyState } from '../session/appState.js';
import type { SessionController } from '../session/SessionController.js';

export const ControllerContext = createContext<SessionController | null>(null);
export const ReadyContext = createContext<ReadyState | null>(null);

export function useController(): SessionController {
  const c = useContext(ControllerContext);
  if (!c) throw new Error('useController outside ControllerContext');
  return c;
}

export function useAppState(): AppState {
  const c = useController();
  return useSyncExternalStore(c.subscribe, c.getState);
}

/** The signed-in state; only valid inside the shell. */
export function useReady(): ReadyState {
  const r = useContext(ReadyContext);
  if (!r) throw new Error('useReady outside the signed-in shell');
  return r;
}
