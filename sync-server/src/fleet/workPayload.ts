/** Assembles what an agent runs for one execution, from its task or deployment and the catalog. */
import type { DbClient } from '../db/pool.js';
import { getDoc, type FleetDoc } from './fleetDocs.js';
import type { LeasedWork, TaskAction } from './sharedFleet.js';

type Script = NonNullable<LeasedWork['script']>;

export interface PackageVersionData {
  version: string;
  platform: string;
  arch?: string;
  installScript: Script;
  uninstallScript?: Script;
  detection: NonNullable<LeasedWork['package']>['detection'];
  artifact?: NonNullable<LeasedWork['package']>['artifact'];
}

export function findVersion(pkg: FleetDoc | null, version: string): PackageVersionData | undefined {
  if (!pkg || pkg.deleted || pkg.data.kind !== 'package') return undefined;
  return ((pkg.data.versions as PackageVersionData[] | undefined) ?? []).find(
    (v) => v.version === version && v.platform === 'linux',
  );
}

/** Caches documents for one request (many executions share a task, deployment or package). */
export class DocCache {
  private readonly docs = new Map<string, Promise<FleetDoc | null>>();
  constructor(private readonly c: DbClient) {}
  get(kind: 'tasks' | 'deployments' | 'catalog', id: string): Promise<FleetDoc | null> {
    const key = `${kind}:${id}`;
    let p = this.docs.get(key);
    if (!p) {
      p = getDoc(this.c, kind, id);
      this.docs.set(key, p);
    }
    return p;
  }
}

export type WorkOrProblem = { work: LeasedWork } | { problem: string };

export async function buildWork(cache: DocCache, exec: FleetDoc): Promise<WorkOrProblem> {
  const e = exec.data;
  const base = { executionId: exec.id, attempt: Number(e.attempt), timeoutSeconds: Number(e.timeoutSeconds) };
  let action = e.action as TaskAction;
  let packageId: string | undefined;
  let packageVersion: string | undefined;
  let source: Record<string, unknown>;
  if (e.taskId) {
    const task = await cache.get('tasks', String(e.taskId));
    if (!task) return { problem: 'its task no longer exists' };
    source = task.data;
    packageId = source.packageId as string | undefined;
    packageVersion = source.packageVersion as string | undefined;
  } else if (e.deploymentId) {
    const dep = await cache.get('deployments', String(e.deploymentId));
    if (!dep) return { problem: 'its deployment no longer exists' };
    source = dep.data;
    packageId = source.packageId as string;
    packageVersion = source.packageVersion as string;
    action = source.intent === 'uninstall' ? 'package_uninstall' : 'package_install';
  } else {
    return { problem: 'an execution without a task or deployment' };
  }
  const work: LeasedWork = { ...base, action };
  if (source.preScript) work.preScript = source.preScript as Script;
  if (source.postScript) work.postScript = source.postScript as Script;
  if (action === 'script') work.script = source.script as Script;
  if (action === 'command') work.command = source.command as { argv: string[] };
  if (action === 'package_install' || action === 'package_uninstall') {
    const pkg = packageId ? await cache.get('catalog', packageId) : null;
    const v = findVersion(pkg, packageVersion ?? '');
    if (!pkg || !v)
      return { problem: `package ${packageId ?? '?'} version ${packageVersion ?? '?'} (linux) is not in the catalog` };
    if (action === 'package_uninstall' && !v.uninstallScript)
      return { problem: `package ${String(pkg.data.name)} ${v.version} has no uninstall script` };
    work.package = {
      id: pkg.id,
      name: String(pkg.data.name),
      version: v.version,
      installScript: v.installScript,
      ...(v.uninstallScript ? { uninstallScript: v.uninstallScript } : {}),
      detection: v.detection,
      ...(v.artifact ? { artifact: v.artifact } : {}),
    };
  }
  return { work };
}
