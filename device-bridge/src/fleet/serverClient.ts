/**
 * The bridge's REST client for the sync server's fleet endpoints (a bridge token). It tells
 * "the server is unreachable" (keep working from the local cache, queue reports) apart from
 * "the server refused" (pass the refusal on).
 */
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fleetsync/shared';

export class ServerUnreachable extends Error {
  override readonly name = 'ServerUnreachable';
}

export class ServerRefused extends Error {
  override readonly name = 'ServerRefused';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class FleetServerClient {
  /** Simulates the site's internet link being cut (demo and tests). */
  linkDown = false;
  reachable = true;

  constructor(
    private readonly serverUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    if (this.linkDown) {
      this.reachable = false;
      throw new ServerUnreachable('the site link is down (simulated)');
    }
    let res: Response;
    try {
      res = await fetch(`${this.serverUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      this.reachable = false;
      throw new ServerUnreachable(`the sync server is unreachable: ${(err as Error).message}`);
    }
    this.reachable = true;
    if (!res.ok) {
      const text = await res.text();
      let code = 'HTTP_' + res.status;
      let message = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
        code = parsed.error?.code ?? code;
        message = parsed.error?.message ?? message;
      } catch {
        // not JSON
      }
      if (res.status >= 500) throw new ServerUnreachable(`the sync server failed (${res.status}): ${message}`);
      throw new ServerRefused(res.status, code, message);
    }
    return res;
  }

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }

  async bytes(path: string): Promise<Buffer> {
    return Buffer.from(await (await this.request('GET', path)).arrayBuffer());
  }
}
