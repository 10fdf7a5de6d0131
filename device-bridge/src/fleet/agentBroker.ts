/**
 * Where the bridge meets its agents. Either the bridge's own embedded broker (aedes on the
 * LAN, the default), which authenticates every agent by its credential and enforces a
 * per-agent ACL — an agent may publish only on its own `up` topic and subscribe only to its
 * own `down` topic, enrolling clients only on their own enrollment topics, no retained
 * messages, no wildcards — or a client of an external broker (Mosquitto via MQTT_URL), where
 * the ACL is the broker's configuration (docs/adr/010) and the bridge relies on the
 * per-message checks (agent id in payload = topic, signature).
 */
import net, { type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { agentTopics, BRIDGE_SUBSCRIPTIONS, enrollTopics, isAgentId, isEnrollClientId } from './sharedFleet.js';

export type MessageHandler = (topic: string, payload: Buffer) => void;

export interface AgentChannel {
  /** The URL agents connect to. */
  readonly url: string;
  readonly kind: 'embedded' | 'external';
  publish(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface AclStats {
  refusedConnects: number;
  refusedPublishes: { clientId: string; topic: string }[];
  refusedSubscribes: { clientId: string; topic: string }[];
}

type Identity = { kind: 'agent'; agentId: string } | { kind: 'enroll'; clientId: string };

export interface EmbeddedBrokerOptions {
  host?: string;
  port?: number;
  /** True when this agent id and credential belong together (the bridge's registry). */
  authenticateAgent(agentId: string, credential: string): Promise<boolean> | boolean;
  onMessage: MessageHandler;
}

const authError = (code: 4 | 5, message: string) => Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;

/** The bridge's embedded broker with a per-agent ACL. */
export class EmbeddedAgentBroker implements AgentChannel {
  readonly kind = 'embedded' as const;
  readonly stats: AclStats = { refusedConnects: 0, refusedPublishes: [], refusedSubscribes: [] };
  private broker: Aedes | undefined;
  private server: net.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly identities = new WeakMap<Client, Identity>();
  private port = 0;

  constructor(private readonly options: EmbeddedBrokerOptions) {}

  get url(): string {
    return `mqtt://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  async start(): Promise<void> {
    const broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        void this.authenticate(client, username, password?.toString('utf8') ?? '').then(
          (ok) => {
            if (ok) return done(null, true);
            this.stats.refusedConnects += 1;
            done(authError(4, 'bad user name or password'), null);
          },
          () => done(authError(5, 'not authorized'), null),
        );
      },
      authorizePublish: (client, packet, callback) => {
        if (!client) return callback(null);
        const id = this.identities.get(client);
        const allowed =
          id &&
          !packet.retain &&
          packet.topic === (id.kind === 'agent' ? agentTopics(id.agentId).up : enrollTopics(id.clientId).up);
        if (allowed) return callback(null);
        this.stats.refusedPublishes.push({ clientId: client.id, topic: packet.topic });
        callback(new Error(`client ${client.id} may not publish on ${packet.topic}`));
      },
      authorizeSubscribe: (client, sub, callback) => {
        const id = this.identities.get(client);
        const allowed = id && sub.topic === (id.kind === 'agent' ? agentTopics(id.agentId).down : enrollTopics(id.clientId).down);
        if (allowed) return callback(null, sub);
        this.stats.refusedSubscribes.push({ clientId: client.id, topic: sub.topic });
        callback(null, null);
      },
    });
    for (const topic of BRIDGE_SUBSCRIPTIONS) {
      await new Promise<void>((resolve) =>
        broker.subscribe(
          topic,
          (packet, cb) => {
            this.options.onMessage(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
            cb();
          },
          resolve,
        ),
      );
    }
    const server = net.createServer((socket) => broker.handle(socket));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.broker = broker;
    this.server = server;
  }

  private async authenticate(client: Client, username: string | undefined, password: string): Promise<boolean> {
    if (username === 'enroll') {
      // The secret itself is checked by the server when the request arrives; here the client
      // only gets its own enrollment topics.
      if (!isEnrollClientId(client.id) || password.length === 0) return false;
      this.identities.set(client, { kind: 'enroll', clientId: client.id });
      return true;
    }
    // The client id is bound to the agent id, so nobody can take over another agent's session.
    if (!username || !isAgentId(username) || client.id !== `agent-${username}`) return false;
    if (!(await this.options.authenticateAgent(username, password))) return false;
    this.identities.set(client, { kind: 'agent', agentId: username });
    return true;
  }

  publish(topic: string, payload: string): Promise<void> {
    const broker = this.broker;
    if (!broker) return Promise.resolve();
    return new Promise((resolve) =>
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, () =>
        resolve(),
      ),
    );
  }

  /** Disconnects an agent (credential revoked). */
  disconnectAgent(agentId: string): void {
    const broker = this.broker as unknown as { clients?: Record<string, Client> } | undefined;
    broker?.clients?.[`agent-${agentId}`]?.close();
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

/** A client of an external broker (Mosquitto, EMQX): the broker's own ACL applies, if configured. */
export class ExternalAgentBroker implements AgentChannel {
  readonly kind = 'external' as const;
  private client: MqttClient | undefined;

  constructor(
    readonly url: string,
    private readonly clientId: string,
    private readonly onMessage: MessageHandler,
  ) {}

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.url, {
      clientId: this.clientId,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    // A reconnect with a clean session loses subscriptions: subscribe again every time.
    client.on('connect', () => void client.subscribeAsync([...BRIDGE_SUBSCRIPTIONS], { qos: 1 }).catch(() => undefined));
    await client.subscribeAsync([...BRIDGE_SUBSCRIPTIONS], { qos: 1 });
    this.client = client;
  }

  async publish(topic: string, payload: string): Promise<void> {
    await this.client?.publishAsync(topic, payload, { qos: 1 });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.endAsync(true);
  }
}
