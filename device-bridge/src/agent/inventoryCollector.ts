/**
 * Inventory of a real Linux host: OS and kernel, hostname, CPU, memory, disks, network
 * interfaces, uptime, installed packages (dpkg, else rpm), local administrators (root-uid
 * accounts and members of sudo/wheel/admin) and whether an SSH server is enabled.
 */
import { existsSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { runProcess } from './executor.js';
import type { Inventory, PackageEntry } from '../fleet/sharedFleet.js';

const REAL_FS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'vfat',
  'exfat',
  'ntfs',
  'ntfs3',
  'f2fs',
  'zfs',
  'jfs',
  'reiserfs',
]);

export async function readOsRelease(file = '/etc/os-release'): Promise<{ name: string; version: string; id?: string }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const fields = Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]!.replace(/^["']|["']$/g, '')]),
  ) as Record<string, string>;
  return { name: fields.NAME ?? os.type(), version: fields.VERSION_ID ?? '', ...(fields.ID ? { id: fields.ID } : {}) };
}

async function disks(): Promise<Inventory['disks']> {
  const mounts = await readFile('/proc/mounts', 'utf8').catch(() => '');
  const seen = new Set<string>();
  const out: Inventory['disks'] = [];
  for (const line of mounts.split('\n')) {
    const [device, mount, fsType] = line.split(' ');
    if (!device || !mount || !fsType || !REAL_FS.has(fsType) || seen.has(device)) continue;
    seen.add(device);
    const s = await statfs(mount).catch(() => null);
    if (!s) continue;
    out.push({ mount: mount.replace(/\\040/g, ' '), fsType, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize });
    if (out.length >= 64) break;
  }
  return out;
}

function network(): Inventory['network'] {
  return Object.entries(os.networkInterfaces())
    .filter(([, addrs]) => addrs && !addrs.every((a) => a.internal))
    .slice(0, 64)
    .map(([name, addrs]) => ({
      name,
      mac: addrs?.[0]?.mac ?? '',
      ipv4: (addrs ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address),
      ipv6: (addrs ?? []).filter((a) => a.family === 'IPv6').map((a) => a.address),
    }));
}

export async function installedPackages(): Promise<{ manager: Inventory['packageManager']; packages: PackageEntry[] }> {
  const dpkg = await runProcess(['dpkg-query', '-W', '-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n'], {
    timeoutMs: 60_000,
    maxOutputChars: 5_000_000,
  });
  if (dpkg.exitCode === 0) {
    const packages = dpkg.stdout
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f[0]?.startsWith('ii') && f[1])
      .map(([, name, version, arch]) => ({ name: name!, version: version ?? '', ...(arch && arch !== 'all' ? { arch } : {}) }));
    return { manager: 'dpkg', packages: packages.slice(0, 20_000) };
  }
  const rpm = await runProcess(['rpm', '-qa', '--qf', '%{NAME}\t%{VERSION}-%{RELEASE}\t%{ARCH}\n'], {
    timeoutMs: 60_000,
    maxOutputChars: 5_000_000,
  });
  if (rpm.exitCode === 0) {
    const packages = rpm.stdout
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f[0])
      .map(([name, version, arch]) => ({ name: name!, version: version ?? '', ...(arch && arch !== 'noarch' ? { arch } : {}) }));
    return { manager: 'rpm', packages: packages.slice(0, 20_000) };
  }
  return { manager: 'none', packages: [] };
}

export async function localAdmins(passwd = '/etc/passwd', group = '/etc/group'): Promise<string[]> {
  const admins = new Set<string>();
  for (const line of (await readFile(passwd, 'utf8').catch(() => '')).split('\n')) {
    const [user, , uid] = line.split(':');
    if (user && uid === '0') admins.add(user);
  }
  for (const line of (await readFile(group, 'utf8').catch(() => '')).split('\n')) {
    const [name, , , members] = line.split(':');
    if (name && ['sudo', 'wheel', 'admin'].includes(name))
      for (const m of (members ?? '').split(',')) if (m.trim()) admins.add(m.trim());
  }
  return [...admins].sort();
}

/** An SSH server is enabled when its unit is enabled at boot or something listens on port 22. */
export async function sshEnabled(): Promise<boolean> {
  const units = ['multi-user.target.wants/ssh.service', 'multi-user.target.wants/sshd.service', 'sshd.service'].map(
    (u) => `/etc/systemd/system/${u}`,
  );
  if (units.some((p) => existsSync(p))) return true;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    // local_address is hex ip:port; state 0A is LISTEN; port 22 is 0016.
    if (text.split('\n').some((l) => /^\s*\d+:\s+[0-9A-F]+:0016\s+[0-9A-F]+:[0-9A-F]+\s+0A\b/i.test(l))) return true;
  }
  return false;
}

export async function collectInventory(): Promise<Inventory> {
  const release = await readOsRelease();
  const cpus = os.cpus();
  const pkgs = await installedPackages();
  return {
    os: { ...release, kernel: os.release(), arch: os.arch() },
    hostname: os.hostname(),
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length },
    memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    disks: await disks(),
    network: network(),
    uptimeSeconds: Math.floor(os.uptime()),
    packageManager: pkgs.manager,
    packages: pkgs.packages,
    adminUsers: await localAdmins(),
    sshEnabled: await sshEnabled(),
  };
}
