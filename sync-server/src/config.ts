/** Server configuration, read once from the environment (README "Configuration"). */
import path from 'node:path';
import { loadKeys, type ServerKeys } from './security/keys.js';

export interface ServerConfig {
  databaseUrl: string;
  port: number;
  host: string;
  /** Folder with the built PWA; served at `/` when present. */
  staticDir?: string;
  /** Signing and encryption keys (FLEETSYNC_SIGNING_KEY / FLEETSYNC_ENCRYPTION_KEY, else key files). */
  keys: ServerKeys;
  accessTtlSeconds: number;
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /** Largest accepted JSON body, e.g. "5mb". */
  bodyLimit: string;
  /** Express "trust proxy": whose X-Forwarded-For to believe. */
  trustProxy: string;
  logLevel: string;
  /** DATA_DIR: model files live under `<dataDir>/blobs/sha256/`. */
  dataDir: string;
  /** Largest accepted model file upload, in bytes (MAX_UPLOAD_BYTES, default 200 MiB). */
  maxUploadBytes: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  return {
    databaseUrl: env.DATABASE_URL ?? '',
    port: Number(env.PORT ?? 8787),
    host: env.HOST ?? '127.0.0.1',
    staticDir: env.STATIC_DIR,
    keys: overrides.keys ?? loadKeys(env, env.FLEETSYNC_KEY_DIR ?? path.join(dataDir, 'keys')),
    accessTtlSeconds: Number(env.ACCESS_TOKEN_TTL_SECONDS ?? 15 * 60),
    sessionIdleSeconds: Number(env.SESSION_IDLE_SECONDS ?? 12 * 3600),
    sessionAbsoluteSeconds: Number(env.SESSION_ABSOLUTE_SECONDS ?? 14 * 24 * 3600),
    bodyLimit: env.BODY_LIMIT ?? '5mb',
    trustProxy: env.TRUST_PROXY ?? 'loopback',
    logLevel: env.LOG_LEVEL ?? 'info',
    dataDir,
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? 200 * 1024 * 1024),
    ...overrides,
  };
}
