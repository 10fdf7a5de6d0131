// The package registry reachable from these machines serves only this platform's builds of
// native packages, so `npm install` leaves the other platforms' optional packages out of
// package-lock.json, and `npm ci` then refuses the lockfile as out of sync. This adds a
// stub entry for each such optional dependency; `npm ci` skips optional packages it cannot
// use. Run after every `npm install`: node scripts/fix-lockfile.cjs package-lock.json
const fs = require('fs');
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies || {})) {
    const base = key === '' ? 'node_modules/' : key + '/node_modules/';
    const candidates = [base + name, 'node_modules/' + name];
    if (candidates.some((c) => lock.packages[c])) continue;
    const exact = /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version) ? version : version.replace(/^[^\d]*/, '');
    lock.packages['node_modules/' + name] = { version: exact, optional: true, ...(pkg.dev ? { dev: true } : {}) };
    added++;
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
