/**
 * The one place the bridge reaches into shared's device code. `@fleetsync/shared` does not yet
 * export `./devices` (its package.json belongs to another workstream); when it does, this file
 * becomes `export * from '@fleetsync/shared/devices'` and nothing else changes.
 */
export * from '../../../shared/src/devices/index.js';
