/**
 * The bridge's REST calls to the sync server besides replication: registration (which is also
 * the heartbeat) and the device credentials of its printers. Neither throws: an unreachable
 * server is a normal state for a bridge.
 */
import { authHeaders, toError, type SyncTransport } from '@fleetsync/shared/sync';

export interface DeviceCredentials {
  printerId: string;
  accessCode?: string;
  apiKey?: string;
  username?: string;
  password?: string;
}

export interface RegisteredDevice {
  printerId: string;
  protocol: string;
  online: boolean;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; reason: string; status?: number };

export class ServerLink {
  constructor(
    private readonly transport: SyncTransport,
    private readonly timeoutMs = 10_000,
  ) {}

  register(body: {
    siteName: string;
    version: string;
    devices: RegisteredDevice[];
  }): Promise<CallResult<{ heartbeatSeconds?: number }>> {
    return this.call('PUT', '/api/bridge/registration', body);
  }

  async credentials(): Promise<CallResult<DeviceCredentials[]>> {
    const result = await this.call<{ credentials?: unknown }>('GET', '/api/bridge/credentials');
    if (!result.ok) return result;
    const list = Array.isArray(result.value.credentials) ? result.value.credentials : [];
    return { ok: true, value: list.filter(isCredentials) };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<CallResult<T>> {
    const f = this.transport.fetch ?? globalThis.fetch;
    try {
      const res = await f(`${this.transport.baseUrl}${path}`, {
        method,
        headers: {
          ...(await authHeaders(this.transport)),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) {
        const error = await toError(res);
        return { ok: false, reason: `${error.code}: ${error.message}`, status: res.status };
      }
      return { ok: true, value: (await res.json()) as T };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

function isCredentials(value: unknown): value is DeviceCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.printerId !== 'string') return false;
  return ['accessCode', 'apiKey', 'username', 'password'].every((k) => v[k] === undefined || typeof v[k] === 'string');
}
