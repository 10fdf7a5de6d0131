/** This device's hybrid-logical-clock node id: random, made once, kept in localStorage. */
import { readJson, writeJson } from '../localJson.js';

const KEY = 'fleetsync.nodeId';
const VALID = /^[A-Za-z0-9_-]{1,40}$/;

function randomNodeId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  // base64url of 12 bytes: 16 characters from [A-Za-z0-9_-]
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function deviceNodeId(): string {
  const saved = readJson(KEY);
  if (typeof saved === 'string' && VALID.test(saved)) return saved;
  const id = randomNodeId();
  writeJson(KEY, id);
  return id;
}
