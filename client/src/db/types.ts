import type { RxCollection, RxDatabase } from 'rxdb';
import type {
  CatalogItem,
  CollectionName,
  Command,
  Deployment,
  Device,
  DeviceGroup,
  Job,
  Printer,
  Spool,
  TaskDoc,
} from '@fleetsync/shared';
import type { AttentionItem } from './attention.js';

/** Document type per replicated collection (keys must equal CollectionName). */
export interface DocTypes {
  printers: Printer;
  jobs: Job;
  spools: Spool;
  commands: Command;
  devices: Device;
  deviceGroups: DeviceGroup;
  tasks: TaskDoc;
  deployments: Deployment;
  catalog: CatalogItem;
}
export type DocOf<N extends keyof DocTypes> = DocTypes[N];

export type AppCollections = {
  [N in keyof DocTypes]: RxCollection<DocTypes[N]>;
} & { attention: RxCollection<AttentionItem> };

export type AppDatabase = RxDatabase<AppCollections>;

/** One replicated collection with its document type (indexing a union loses the type). */
export function collectionOf<N extends keyof DocTypes>(db: AppDatabase, name: N): RxCollection<DocOf<N>> {
  return db.collections[name] as unknown as RxCollection<DocOf<N>>;
}

// Compile-time check that DocTypes covers exactly the shared collections.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const DOC_TYPES_MATCH: Same<keyof DocTypes, CollectionName> = true;
