import { useMemo } from 'react';
import { usePrincipal } from '../../hooks/usePrincipal.js';
import { visibleOrgs } from '../../session/visibleOrgs.js';
import { useReady } from '../appContext.js';
import { adminScopes, type AdminScope } from './adminAccess.js';

/** What the signed-in user may administer (empty: no admin screens for them). */
export function useAdminScopes(): AdminScope[] {
  const { me, platformOrgs } = useReady();
  const principal = usePrincipal();
  return useMemo(() => adminScopes(principal, visibleOrgs(me, platformOrgs)), [principal, me, platformOrgs]);
}
