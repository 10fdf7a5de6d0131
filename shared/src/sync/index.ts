export * from './http.js';
export * from './liveStream.js';
export * from './merge.js';
export * from './replicateCollection.js';
export * from './replica.js';
export * from './scope.js';
export * from './scopeKeeper.js';
