/** The bridge's view of shared's slicer metadata extraction. */
export * from '@fleetsync/shared/metadata';
