/** Endpoint fleet domain logic: pure, shared by the server, the bridge, the agent and the PWA. */
export * from './agentProtocol.js';
export * from './detection.js';
export * from './executions.js';
export * from './groupRules.js';
export * from './inventory.js';
export * from './rollout.js';
export * from './versions.js';
