/** The bridge's view of shared's device code (telemetry, command parameters, codes). */
export * from '@fleetsync/shared/devices';
