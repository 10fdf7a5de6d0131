/** The server's view of shared's print-farm logic (quotas, costs, guardrails, analytics). */
export * from '@fleetsync/shared/farm';
