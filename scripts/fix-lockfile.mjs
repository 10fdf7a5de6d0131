// The package registry reachable from these machines serves only this platform's builds of
// native packages, so `npm install` leaves the other platforms' optional packages out of
// package-lock.json, and `npm ci` then refuses the lockfile as out of sync. This adds a stub
// entry for each such optional dependency; `npm ci` skips optional packages it cannot use.
// Run after every `npm install`: node scripts/fix-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${key === '' ? '' : `${key}/`}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const exact = /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version) ? version : version.replace(/^[^\d]*/, '');
    lock.packages[`node_modules/${name}`] = { version: exact, optional: true, ...(pkg.dev ? { dev: true } : {}) };
    added += 1;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`lockfile: added ${added} optional platform stubs\n`);
