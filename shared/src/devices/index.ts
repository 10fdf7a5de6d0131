export * from './telemetry.js';
export * from './coerce.js';
export * from './bambuCodes.js';
export * from './commandParams.js';
