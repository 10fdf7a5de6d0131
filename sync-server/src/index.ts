export { startServer, type RunningServer } from './server.js';
export { configFromEnv, type ServerConfig } from './config.js';
export { createPool, type Db } from './db/pool.js';
export { migrate } from './db/migrate.js';
export { startEmbeddedPostgres } from './db/embedded.js';
export * from './identity/identityRepo.js';
export { seedDemo } from './identity/seed.js';
