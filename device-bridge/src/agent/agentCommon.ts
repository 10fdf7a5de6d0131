/** What the endpoint agent is given, and the small pieces its parts share. */
import type { SimulatedIdentity } from './simulatedIdentity.js';
import type { FleetLogger } from '../fleet/fleetService.js';

export const AGENT_VERSION = '0.1.0';

export interface AgentOptions {
  brokerUrl: string;
  stateDir: string;
  /** Needed only until the agent has enrolled. */
  enrollmentSecret?: string;
  /** A simulated identity (demo, tests); absent: the real host. */
  identity?: SimulatedIdentity;
  /** Fallback poll for work when no nudge comes (default 60 s). */
  pollSeconds?: number;
  /** How often inventory is collected and, when it changed, sent (default 1 h). */
  inventorySeconds?: number;
  /** How often unacknowledged results are sent again (default 30 s). */
  resendSeconds?: number;
  allowReboot?: boolean;
  /** What a reboot does; default: `systemctl reboot` (real host) or a simulated restart. */
  reboot?: () => Promise<void>;
  log?: FleetLogger;
}

export class EnrollmentRefused extends Error {
  override readonly name = 'EnrollmentRefused';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const silent: FleetLogger = { info: () => undefined, warn: () => undefined };
export const now = () => new Date().toISOString();
