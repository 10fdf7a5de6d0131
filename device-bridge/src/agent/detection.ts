/**
 * Detection rules on the host (shared/src/fleet/detection.ts): file exists, a version file,
 * a dpkg or rpm package version, or a command's exit code. `${FLEETSYNC_ROOT}` in a path is the
 * agent's root: empty on a real host, a sandbox folder for a simulated identity.
 */
import { readFile, stat } from 'node:fs/promises';
import { runProcess, runScript } from './executor.js';
import { combineDetection, versionMatches, type Detection, type DetectionRule } from '../fleet/sharedFleet.js';

export interface DetectionContext {
  root: string;
  env: Record<string, string>;
}

export const expandRoot = (p: string, root: string) => p.split('${FLEETSYNC_ROOT}').join(root);

async function packageVersion(manager: 'dpkg' | 'rpm', name: string): Promise<string | null> {
  const r =
    manager === 'dpkg'
      ? await runProcess(['dpkg-query', '-W', '-f=${Status}\t${Version}', name], { timeoutMs: 30_000 })
      : await runProcess(['rpm', '-q', '--qf', '%{VERSION}-%{RELEASE}', name], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) return null;
  if (manager === 'rpm') return r.stdout.trim() || null;
  const [status, version] = r.stdout.split('\t');
  return status?.trim() === 'install ok installed' && version ? version.trim() : null;
}

export async function ruleDetected(rule: DetectionRule, ctx: DetectionContext): Promise<boolean> {
  switch (rule.type) {
    case 'file_exists':
      return stat(expandRoot(rule.path!, ctx.root)).then(
        () => true,
        () => false,
      );
    case 'file_version': {
      const text = await readFile(expandRoot(rule.path!, ctx.root), 'utf8').catch(() => null);
      const version = text?.split('\n')[0]?.trim();
      return !!version && versionMatches(version, rule.operator!, rule.version!);
    }
    case 'dpkg_version':
    case 'rpm_version': {
      const version = await packageVersion(rule.type === 'dpkg_version' ? 'dpkg' : 'rpm', rule.package!);
      if (version === null) return false;
      return rule.operator && rule.version ? versionMatches(version, rule.operator, rule.version) : true;
    }
    case 'command_exit_code': {
      const r = await runScript('sh', rule.command!, { timeoutMs: 60_000, env: ctx.env });
      return r.exitCode === (rule.exitCode ?? 0);
    }
  }
}

export async function detect(detection: Detection, ctx: DetectionContext): Promise<boolean> {
  const results: boolean[] = [];
  for (const rule of detection.rules) results.push(await ruleDetected(rule, ctx));
  return combineDetection(detection.match, results);
}
