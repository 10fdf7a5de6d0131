/** Waiting for an adapter to report something, with a readable failure. */
import { firstValueFrom, filter, timeout } from 'rxjs';
import type { DeviceAdapter, DeviceLogger } from '../../src/adapters/deviceAdapter.js';
import type { PrinterTelemetry } from '../../src/adapters/sharedDevices.js';

export async function waitForTelemetry(
  adapter: DeviceAdapter,
  predicate: (t: PrinterTelemetry) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<PrinterTelemetry> {
  try {
    return await firstValueFrom(adapter.telemetry$.pipe(filter(predicate), timeout(timeoutMs)));
  } catch {
    throw new Error(
      `${adapter.protocol}: no telemetry with ${what} within ${timeoutMs} ms; last: ${JSON.stringify(adapter.telemetry)}`,
    );
  }
}

export async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface CollectingLogger extends DeviceLogger {
  warnings: string[];
}

export function collectingLogger(): CollectingLogger {
  const warnings: string[] = [];
  return {
    warnings,
    info: () => undefined,
    warn: (message, details) => void warnings.push(`${message} ${JSON.stringify(details ?? {})}`),
  };
}
