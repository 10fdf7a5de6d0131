/**
 * A minimal implicit-FTPS server, as on Bambu printers (port 990, TLS from the first byte, user
 * bblp, password = access code): login, binary type, PBSZ/PROT, EPSV/PASV data connections over
 * TLS, STOR into the printer's files. Enough for real FTPS clients to upload; nothing more.
 */
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { PrintFiles } from './printFiles.js';
import type { TlsMaterial } from './tlsCertificate.js';

export class FtpsServer {
  private server: tls.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly dataServers = new Set<tls.Server>();
  private boundPort: number;

  constructor(
    private readonly files: PrintFiles,
    private readonly accessCode: string,
    private readonly tlsMaterial: TlsMaterial,
    port = 0,
  ) {
    this.boundPort = port;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = tls.createServer({ ...this.tlsMaterial }, (socket) => this.session(socket));
    server.on('connection', (socket: Socket) => this.track(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
  }

  async stop(): Promise<void> {
    for (const data of this.dataServers) data.close();
    this.dataServers.clear();
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private session(control: tls.TLSSocket): void {
    const reply = (line: string) => control.write(`${line}\r\n`);
    let user = '';
    let loggedIn = false;
    let data: Promise<tls.TLSSocket> | undefined;
    let buffer = '';
    reply('220 Bambu FTPS simulator ready');
    const command = async (line: string): Promise<void> => {
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      const cmd = verb.toUpperCase();
      if (cmd === 'USER') return void ((user = arg), reply('331 Password required'));
      if (cmd === 'PASS') {
        loggedIn = user === 'bblp' && arg === this.accessCode;
        return void reply(loggedIn ? '230 Logged in' : '530 Login incorrect');
      }
      if (cmd === 'QUIT') return void (reply('221 Bye'), control.end());
      if (!loggedIn) return void reply('530 Please log in');
      switch (cmd) {
        case 'FEAT':
          return void control.write('211-Features:\r\n PBSZ\r\n PROT\r\n EPSV\r\n UTF8\r\n211 End\r\n');
        case 'TYPE':
        case 'STRU':
        case 'OPTS':
        case 'PBSZ':
        case 'PROT':
        case 'MODE':
          return void reply('200 OK');
        case 'PWD':
          return void reply('257 "/" is the current directory');
        case 'CWD':
          return void reply('250 OK');
        case 'EPSV':
        case 'PASV': {
          const opened = await this.openDataChannel();
          data = opened.socket;
          const p = opened.port;
          return void reply(
            cmd === 'EPSV'
              ? `229 Entering Extended Passive Mode (|||${p}|)`
              : `227 Entering Passive Mode (127,0,0,1,${p >> 8},${p & 255})`,
          );
        }
        case 'STOR': {
          if (!data) return void reply('425 Use PASV or EPSV first');
          const pending = data;
          data = undefined;
          reply('150 Ok to send data');
          const socket = await pending;
          const chunks: Buffer[] = [];
          socket.on('data', (chunk: Buffer) => chunks.push(chunk));
          await new Promise<void>((resolve) => socket.once('close', () => resolve()));
          this.files.put(arg.replace(/^\/+/, ''), Buffer.concat(chunks));
          return void reply('226 Transfer complete');
        }
        default:
          return void reply('502 Command not implemented');
      }
    };
    let queue = Promise.resolve();
    control.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        queue = queue.then(() => command(line)).catch(() => void reply('451 Local error'));
      }
    });
    control.on('error', () => control.destroy());
  }

  /** A one-connection TLS listener for a passive data transfer. */
  private async openDataChannel(): Promise<{ port: number; socket: Promise<tls.TLSSocket> }> {
    let accept: (socket: tls.TLSSocket) => void = () => undefined;
    const socket = new Promise<tls.TLSSocket>((resolve) => (accept = resolve));
    const server = tls.createServer({ ...this.tlsMaterial }, (s) => {
      s.on('error', () => s.destroy());
      accept(s);
      server.close();
      this.dataServers.delete(server);
    });
    server.on('connection', (s: Socket) => this.track(s));
    this.dataServers.add(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    return { port: address && typeof address === 'object' ? address.port : 0, socket };
  }
}
