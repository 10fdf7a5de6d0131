/** The device bridge's public API: the runtime, and the adapter types it is configured with. */
export { startBridge } from './runtime/bridgeRuntime.js';
export type { BridgeConfig, BridgeLogger, StaticPrinter } from './runtime/config.js';
export type { BridgeState, BridgeStats, CommandView, PrinterView, RunningBridge } from './runtime/bridgeState.js';
export type { HistoryEvent, JobRecord } from './runtime/printerHistory.js';
export type { CommandResult, StoreRecord } from './runtime/storeRecords.js';
export { parseStaticPrinters } from './runtime/adapterConfig.js';
export { readBridgeFiles } from './runtime/readBridgeFiles.js';
export { createAdapter } from './adapters/createAdapter.js';
export type { AdapterConfig, DeviceAdapter, DeviceLogger, PrinterProtocol } from './adapters/deviceAdapter.js';
