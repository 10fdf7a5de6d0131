/**
 * Packages: detection decides. A package already detected is not installed again (here by a
 * real dpkg query on this host); an install whose detection fails afterwards is a failure even
 * with exit code 0; an artifact is checked against its sha256 by the agent before anything
 * runs (a tampered bridge cache is caught); a normal install goes through the depot and the
 * bridge cache, and a second install of the same version is skipped.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAgent } from '../../src/agent/agent.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';
import { startHarness, waitFor, type Harness } from './fleetHarness.js';

interface ExecDoc {
  id: string;
  state: string;
  outcome: string;
  exitCode: number | null;
  message?: string;
  stdout?: string;
}

const baseline = openResources();
let h: Harness;
let agent: FleetAgent;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.agent({ name: 'pc-12', identity: { hostname: 'lab-pc-12', index: 12 } });
  await once(agent, 'inventory');
});
afterAll(async () => {
  await h?.stop();
  await expectNothingLeft(baseline);
});

async function install(name: string, version: Record<string, unknown>, action = 'package_install'): Promise<ExecDoc> {
  const pkg = await h.create('catalog', { kind: 'package', name, versions: [{ version: '1.0', platform: 'linux', ...version }] });
  const task = await h.create('tasks', {
    kind: 'task',
    action,
    name: `${action} ${name}`,
    packageId: pkg.id,
    packageVersion: '1.0',
    targetDeviceIds: [agent.agentId],
    targetGroupIds: [],
    timeoutSeconds: 30,
    status: 'active',
  });
  const status = await waitFor(async () => {
    const s = await h.get<{ executions: { id: string; state: string }[] }>(`/api/fleet/tasks/${String(task.id)}/status`);
    return ['succeeded', 'failed', 'timed_out'].includes(s.executions[0]?.state ?? '') ? s : null;
  }, `${name} to finish`);
  return h.get<ExecDoc>(`/api/tasks/${status.executions[0]!.id}`);
}

const marker = (name: string) => path.join(agent.root, `${name}.ran`);
const touchMarker = (name: string) => ({ shell: 'sh', body: `touch "$FLEETSYNC_ROOT/${name}.ran"` });

describe('package installs decided by detection', () => {
  it('a package already detected (dpkg on this host) is skipped: the install script never runs', async () => {
    const exec = await install('bash', {
      installScript: touchMarker('bash-install'),
      detection: { match: 'all', rules: [{ type: 'dpkg_version', package: 'bash', operator: 'gte', version: '4.0' }] },
    });
    expect(exec).toMatchObject({ state: 'succeeded', outcome: 'already_installed', exitCode: null });
    expect(existsSync(marker('bash-install'))).toBe(false);
  });

  it('an install that exits 0 but is not detected afterwards is reported failed', async () => {
    const exec = await install('ghost', {
      installScript: { shell: 'sh', body: 'echo "pretending to install"; exit 0' },
      detection: { match: 'all', rules: [{ type: 'file_exists', path: '${FLEETSYNC_ROOT}/opt/ghost/1.0' }] },
    });
    expect(exec).toMatchObject({ state: 'failed', outcome: 'detection_failed', exitCode: 0 });
    expect(exec.message).toMatch(/not detected after installing/);
    expect(exec.stdout).toContain('pretending to install');
  });

  it('installs through the depot and the bridge cache; the same version again is not reinstalled', async () => {
    const artifact = await h.upload(Buffer.from('slicer-profiles v1.0\n'), 'profiles.txt');
    const version = {
      installScript: {
        shell: 'sh',
        body: 'mkdir -p "$FLEETSYNC_ROOT/opt/profiles" && cp "$FLEETSYNC_ARTIFACT" "$FLEETSYNC_ROOT/opt/profiles/1.0" && touch "$FLEETSYNC_ROOT/profiles.ran"',
      },
      detection: {
        match: 'all',
        rules: [
          { type: 'file_version', path: '${FLEETSYNC_ROOT}/opt/profiles/1.0', operator: 'gte', version: 'slicer-profiles' },
        ],
      },
      artifact,
    };
    expect(await install('profiles', version)).toMatchObject({ state: 'succeeded', outcome: 'ok', exitCode: 0 });
    expect(h.service.hasArtifact(artifact.sha256)).toBe(true);
    const again = await install('profiles-again', { ...version, installScript: touchMarker('profiles-again') });
    expect(again).toMatchObject({ state: 'succeeded', outcome: 'already_installed' });
    expect(existsSync(marker('profiles-again'))).toBe(false);
  });

  it('the agent checks the artifact’s sha256 before running anything (a tampered bridge cache is caught)', async () => {
    const artifact = await h.upload(Buffer.from('genuine installer\n'), 'installer.sh');
    // Someone with access to the bridge plants other bytes in its cache under that address.
    await mkdir(path.join(h.dir, 'bridge', 'artifacts'), { recursive: true });
    await writeFile(path.join(h.dir, 'bridge', 'artifacts', artifact.sha256), 'tampered installer\n');
    const exec = await install('signed-tool', {
      installScript: touchMarker('signed-tool'),
      detection: { match: 'all', rules: [{ type: 'file_exists', path: '${FLEETSYNC_ROOT}/opt/signed-tool' }] },
      artifact,
    });
    expect(exec).toMatchObject({ state: 'failed', outcome: 'checksum_mismatch' });
    expect(existsSync(marker('signed-tool'))).toBe(false);
  });

  it('uninstalling a package that is not there is a success with nothing done', async () => {
    const exec = await install(
      'absent',
      {
        installScript: { shell: 'sh', body: 'true' },
        uninstallScript: touchMarker('absent-uninstall'),
        detection: {
          match: 'any',
          rules: [{ type: 'command_exit_code', command: 'test -e "$FLEETSYNC_ROOT/opt/absent"', exitCode: 0 }],
        },
      },
      'package_uninstall',
    );
    expect(exec).toMatchObject({ state: 'succeeded', outcome: 'not_installed' });
    expect(existsSync(marker('absent-uninstall'))).toBe(false);
  });

  it('the artifact server on the bridge refuses requests without an agent credential and work that names the artifact', async () => {
    const artifact = await h.upload(Buffer.from('not for everyone\n'), 'secret.bin');
    const url = `${h.service.artifactBaseUrl}/artifacts/${artifact.sha256}`;
    expect((await fetch(url)).status).toBe(403);
    const asAgent = { authorization: `Bearer ${agent.agentId}:${agent.state.data.credential}` };
    // A valid agent, but no work of its names this artifact.
    expect((await fetch(url, { headers: asAgent })).status).toBe(403);
  });
});

describe('scripts around the work, and time limits', () => {
  it('runs the pre-script, the job and the post-script in order; a job over its time limit is killed and ends timed out', async () => {
    const run = async (body: string, timeoutSeconds: number) => {
      const task = await h.create('tasks', {
        kind: 'task',
        action: 'script',
        name: 'wrapped',
        preScript: { shell: 'sh', body: 'echo pre' },
        script: { shell: 'bash', body },
        postScript: { shell: 'sh', body: 'echo post' },
        targetDeviceIds: [agent.agentId],
        targetGroupIds: [],
        timeoutSeconds,
        status: 'active',
      });
      const s = await waitFor(async () => {
        const st = await h.get<{ executions: { id: string; state: string }[] }>(`/api/fleet/tasks/${String(task.id)}/status`);
        return ['succeeded', 'failed', 'timed_out'].includes(st.executions[0]?.state ?? '') ? st : null;
      }, 'the wrapped job');
      return h.get<ExecDoc>(`/api/tasks/${s.executions[0]!.id}`);
    };
    const ok = await run('echo main', 10);
    expect(ok).toMatchObject({ state: 'succeeded', outcome: 'ok' });
    expect(ok.stdout).toBe('--- pre-script ---\npre\nmain\n--- post-script ---\npost\n');
    const slow = await run('echo started; sleep 30; echo never', 1);
    expect(slow).toMatchObject({ state: 'timed_out', outcome: 'timeout' });
    expect(slow.stdout).not.toContain('never');
  });
});
