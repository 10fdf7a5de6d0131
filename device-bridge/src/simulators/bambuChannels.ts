/**
 * How a Bambu simulator meets its adapter: either it IS the broker (as a real printer is: aedes
 * over TLS with user bblp and the access code), or it is one more client of an external broker
 * (Mosquitto in CI), publishing and subscribing the same topics.
 */
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { Aedes, type AuthenticateError } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { TlsMaterial } from './tlsCertificate.js';

export interface BambuChannel {
  /** The URL an adapter connects to. */
  readonly url: string;
  open(onRequest: (payload: Buffer) => void): Promise<void>;
  publish(payload: string): Promise<void>;
  close(): Promise<void>;
}

const topics = (serial: string) => ({ report: `device/${serial}/report`, request: `device/${serial}/request` });

/** The printer's own broker: MQTT over TLS, only `bblp` with the access code gets in. */
export class EmbeddedBrokerChannel implements BambuChannel {
  private broker: Aedes | undefined;
  private server: tls.Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly serial: string,
    private readonly accessCode: string,
    private readonly tlsMaterial: TlsMaterial,
    private port = 0,
  ) {}

  get url(): string {
    return `mqtts://127.0.0.1:${this.port}`;
  }

  async open(onRequest: (payload: Buffer) => void): Promise<void> {
    const broker = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        if (username === 'bblp' && password?.toString('utf8') === this.accessCode) return done(null, true);
        const error = new Error('bad user name or password') as AuthenticateError;
        error.returnCode = 4;
        done(error, null);
      },
    });
    broker.subscribe(
      topics(this.serial).request,
      (packet, callback) => {
        onRequest(Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
        callback();
      },
      () => undefined,
    );
    const server = tls.createServer({ ...this.tlsMaterial }, (socket) => broker.handle(socket));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.broker = broker;
    this.server = server;
  }

  publish(payload: string): Promise<void> {
    const broker = this.broker;
    if (!broker) return Promise.resolve();
    return new Promise((resolve) =>
      broker.publish(
        { cmd: 'publish', topic: topics(this.serial).report, payload: Buffer.from(payload), qos: 0, retain: false, dup: false },
        () => resolve(),
      ),
    );
  }

  async close(): Promise<void> {
    const { broker, server } = this;
    this.broker = undefined;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
}

/** A client of an external broker (e.g. Mosquitto on 127.0.0.1:1883, anonymous). */
export class ExternalBrokerChannel implements BambuChannel {
  private client: MqttClient | undefined;

  constructor(
    readonly url: string,
    private readonly serial: string,
  ) {}

  async open(onRequest: (payload: Buffer) => void): Promise<void> {
    const client = await mqtt.connectAsync(this.url, {
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      clientId: `sim-${this.serial}`,
    });
    client.on('message', (topic, payload) => {
      if (topic === topics(this.serial).request) onRequest(payload);
    });
    await client.subscribeAsync(topics(this.serial).request, { qos: 1 });
    this.client = client;
  }

  async publish(payload: string): Promise<void> {
    await this.client?.publishAsync(topics(this.serial).report, payload, { qos: 0 });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.endAsync(true);
  }
}
