/**
 * Key material: a signing key (access tokens) and an encryption key (TOTP secrets, device
 * credentials). From the environment (base64, 32 bytes) or from key files generated on first
 * use with 0600 permissions under the data folder, which git ignores. Never in the repository.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ServerKeys {
  signing: Buffer;
  encryption: Buffer;
}

function fromEnv(value: string | undefined, name: string): Buffer | null {
  if (!value) return null;
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded`);
  return key;
}

function fromFile(dir: string, name: string): Buffer {
  const file = path.join(dir, name);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}

export function loadKeys(env: NodeJS.ProcessEnv, keyDir: string): ServerKeys {
  return {
    signing: fromEnv(env.FLEETSYNC_SIGNING_KEY, 'FLEETSYNC_SIGNING_KEY') ?? fromFile(keyDir, 'signing.key'),
    encryption: fromEnv(env.FLEETSYNC_ENCRYPTION_KEY, 'FLEETSYNC_ENCRYPTION_KEY') ?? fromFile(keyDir, 'encryption.key'),
  };
}

export function randomKeys(): ServerKeys {
  return { signing: randomBytes(32), encryption: randomBytes(32) };
}
