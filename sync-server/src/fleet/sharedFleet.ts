/**
 * The server's view of shared/src/fleet. `@fleetsync/shared` does not export `./fleet` yet;
 * until it does, this one file reaches it (then change only this line).
 */
export * from '../../../shared/src/fleet/index.js';
