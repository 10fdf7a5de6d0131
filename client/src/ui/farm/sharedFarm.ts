/** The client's view of shared's print-farm logic (analytics summary, guardrails). */
export * from '@fleetsync/shared/farm';
