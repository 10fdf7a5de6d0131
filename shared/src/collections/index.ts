import type { CollectionDefinition } from './define.js';
import { catalog } from './catalog.js';
import { commands } from './commands.js';
import { deployments } from './deployments.js';
import { deviceGroups } from './deviceGroups.js';
import { devices } from './devices.js';
import { jobs } from './jobs.js';
import { printers } from './printers.js';
import { spools } from './spools.js';
import { tasks } from './tasks.js';

export * from './catalog.js';
export * from './commands.js';
export * from './define.js';
export * from './deployments.js';
export * from './deviceGroups.js';
export * from './devices.js';
export * from './jobs.js';
export * from './printers.js';
export * from './spools.js';
export * from './tasks.js';

/** Every replicated collection. Keep well under RxDB's 13-collection limit (aim: 10). */
export const COLLECTIONS = { printers, jobs, spools, commands, devices, deviceGroups, tasks, deployments, catalog } as const;
export type CollectionName = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export function getCollection(name: string): CollectionDefinition | undefined {
  return (COLLECTIONS as Record<string, CollectionDefinition>)[name];
}
