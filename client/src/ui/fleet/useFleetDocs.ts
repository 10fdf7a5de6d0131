/** Live plain documents of a fleet collection for the selected organization, sorted by name. */
import { useMemo } from 'react';
import type { CatalogItem, Deployment, Device, DeviceGroup } from '@fleetsync/shared';
import { useCollection } from '../../hooks/useCollection.js';
import { useReady } from '../appContext.js';

type Named = { devices: Device; deviceGroups: DeviceGroup; deployments: Deployment; catalog: CatalogItem };

export function useFleetDocs<N extends keyof Named>(name: N): Named[N][] {
  const { orgId } = useReady();
  const docs = useCollection(name, orgId);
  return useMemo(
    () =>
      docs
        .map((d) => d.toJSON() as unknown as Named[N])
        .filter((d) => !(d as { _deleted?: boolean })._deleted)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [docs],
  );
}
