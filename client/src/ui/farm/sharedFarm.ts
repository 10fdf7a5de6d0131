/**
 * The client's view of shared/src/farm (analytics, quotas, costs). `@fleetsync/shared` does not
 * export `./farm` yet; until it does, this one file reaches it (then change only this line).
 */
export { summarizeFarm, type FarmSummary } from '../../../../shared/src/farm/analytics.js';
