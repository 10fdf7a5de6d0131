/** The real server with the built PWA, on port 0, against a throwaway database. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestEnv, type TestEnv } from '../../sync-server/test/support/testServer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function startAppEnv(): Promise<TestEnv> {
  return startTestEnv({ staticDir: path.join(ROOT, 'dist', 'client') });
}
