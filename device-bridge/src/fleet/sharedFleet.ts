/** This workspace's view of shared's endpoint-fleet logic (group rules, rollouts, agent protocol). */
export * from '@fleetsync/shared/fleet';
