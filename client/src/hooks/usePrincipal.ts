import { useMemo } from 'react';
import type { Principal } from '@fleetsync/shared';
import { principalFromMe } from '../session/principal.js';
import { useReady } from '../ui/appContext.js';

/** The signed-in user's capability principal, from the last known `/api/me`. */
export function usePrincipal(): Principal {
  const { session, me } = useReady();
  return useMemo(() => principalFromMe(session.userId, me), [session.userId, me]);
}
