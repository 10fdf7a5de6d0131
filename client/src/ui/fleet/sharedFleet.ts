/**
 * The PWA's view of shared/src/fleet (group rules, rollout, inventory). `@fleetsync/shared`
 * does not export `./fleet` yet; until it does, this one file reaches it (as the server's
 * sharedFleet.ts does), so only this line changes then.
 */
export * from '../../../../shared/src/fleet/index.js';
