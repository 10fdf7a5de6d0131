/**
 * The bridge's artifact cache: artifacts from the server's depot, stored by sha256 and checked
 * on the way in, then served to agents on the LAN over HTTP — so a site whose internet is down
 * still deploys what was prefetched. An agent must present its credential and may fetch only
 * artifacts of work it was handed; it checks the sha256 again before running anything.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { FleetServerClient } from './serverClient.js';

export interface ArtifactAccess {
  /** True when this Authorization header is an agent's valid credential and that agent was handed work with this artifact. */
  mayFetch(authorization: string | undefined, sha256: string): boolean;
}

export class ArtifactCache {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inflight = new Map<string, Promise<void>>();
  private port = 0;
  readonly served: { sha256: string; agent: string }[] = [];

  constructor(
    private readonly dir: string,
    private readonly client: FleetServerClient,
    private readonly access: ArtifactAccess,
    private readonly host = '127.0.0.1',
    /** The name agents reach this host by (when listening on 0.0.0.0). */
    private readonly publicHost?: string,
  ) {}

  get baseUrl(): string {
    return `http://${this.publicHost ?? this.host}:${this.port}`;
  }

  fileOf(sha256: string): string {
    return path.join(this.dir, sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.fileOf(sha256));
  }

  /** Downloads an artifact into the cache unless present; refuses bytes that do not hash to the address. */
  ensure(sha256: string): Promise<void> {
    if (this.has(sha256)) return Promise.resolve();
    let p = this.inflight.get(sha256);
    if (!p) {
      p = (async () => {
        const bytes = await this.client.bytes(`/api/fleet/depot/${sha256}`);
        const actual = createHash('sha256').update(bytes).digest('hex');
        if (actual !== sha256) throw new Error(`artifact ${sha256} from the depot hashes to ${actual}; not cached`);
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        const tmp = `${this.fileOf(sha256)}.${process.pid}.tmp`;
        await writeFile(tmp, bytes, { mode: 0o600 });
        await rename(tmp, this.fileOf(sha256));
      })().finally(() => this.inflight.delete(sha256));
      this.inflight.set(sha256, p);
    }
    return p;
  }

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const m = /^\/artifacts\/([0-9a-f]{64})$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) {
      res.writeHead(404).end();
      return;
    }
    const sha = m[1]!;
    if (!this.access.mayFetch(req.headers.authorization, sha)) {
      res.writeHead(403).end();
      return;
    }
    try {
      await this.ensure(sha);
    } catch {
      res.writeHead(503).end('artifact not cached and the depot is unreachable');
      return;
    }
    this.served.push({ sha256: sha, agent: String(req.headers.authorization).slice(7).split(':')[0] ?? '' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-content-sha256': sha });
    createReadStream(this.fileOf(sha)).pipe(res);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
