/** Server configuration, read once from the environment (README "Configuration"). */
export interface ServerConfig {
  databaseUrl: string;
  port: number;
  host: string;
  /** Folder with the built PWA; served at `/` when present. */
  staticDir?: string;
  /** Access session lifetime in seconds. */
  sessionTtlSeconds: number;
  /** Largest accepted JSON body, e.g. "5mb". */
  bodyLimit: string;
  logLevel: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    databaseUrl: env.DATABASE_URL ?? '',
    port: Number(env.PORT ?? 8787),
    host: env.HOST ?? '127.0.0.1',
    staticDir: env.STATIC_DIR,
    sessionTtlSeconds: Number(env.SESSION_TTL_SECONDS ?? 12 * 3600),
    bodyLimit: env.BODY_LIMIT ?? '5mb',
    logLevel: env.LOG_LEVEL ?? 'info',
    ...overrides,
  };
}
