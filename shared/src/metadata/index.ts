export * from './types.js';
export * from './values.js';
export * from './gcode.js';
export * from './threemf.js';
