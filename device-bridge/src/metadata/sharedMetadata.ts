/**
 * The one place the bridge reaches into shared's metadata code. `@fleetsync/shared` does not yet
 * export `./metadata`; when it does, this file becomes `export * from '@fleetsync/shared/metadata'`.
 */
export * from '../../../shared/src/metadata/index.js';
