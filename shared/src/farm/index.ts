export * from './periods.js';
export * from './usage.js';
export * from './quota.js';
export * from './cost.js';
export * from './guardrails.js';
export * from './chargebacks.js';
export * from './analytics.js';
