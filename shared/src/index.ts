export * from './errors.js';
export * from './ids.js';
export * from './hlc.js';
export * from './protocol.js';
export * from './capabilities.js';
export * from './collections/index.js';
export * from './sync/merge.js';
export * from './passwordPolicy.js';
