/**
 * Runs one leased execution and says how it ended. Packages follow detect -> install ->
 * detect: a package already detected is not installed again ('already_installed'), and after
 * installing only detection decides success ('detection_failed' even with exit code 0). An
 * artifact is checked against its sha256 before anything runs. Pre and post scripts run around
 * the main step; the whole execution shares one deadline.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { detect, type DetectionContext } from './detection.js';
import { runProcess, runScript, type ProcessResult } from './executor.js';
import { MAX_OUTPUT_CHARS, type ExecutionOutcome, type ExecutionResult, type LeasedWork } from '../fleet/sharedFleet.js';

export interface WorkContext {
  deviceId: string;
  root: string;
  tmpDir: string;
  env: Record<string, string>;
  fetchArtifact(sha256: string): Promise<Buffer>;
  /** Whether this agent may reboot its host (the reboot itself happens after the result is stored). */
  canReboot: boolean;
}

type Outcome = Pick<ExecutionResult, 'status' | 'outcome' | 'exitCode' | 'message'>;

class Output {
  stdout = '';
  stderr = '';
  add(label: string, r: ProcessResult): void {
    const head = label ? `--- ${label} ---\n` : '';
    if (r.stdout) this.stdout = (this.stdout + head + r.stdout).slice(-MAX_OUTPUT_CHARS);
    if (r.stderr || r.error)
      this.stderr = (this.stderr + head + r.stderr + (r.error ? `${r.error}\n` : '')).slice(-MAX_OUTPUT_CHARS);
  }
}

const failed = (outcome: ExecutionOutcome, exitCode: number | null, message: string): Outcome => ({
  status: 'failed',
  outcome,
  exitCode,
  message,
});

export async function runWork(work: LeasedWork, ctx: WorkContext): Promise<ExecutionResult> {
  const startedAt = new Date().toISOString();
  const deadline = Date.now() + work.timeoutSeconds * 1000;
  const out = new Output();
  const env = {
    ...ctx.env,
    FLEETSYNC_ROOT: ctx.root,
    FLEETSYNC_DEVICE_ID: ctx.deviceId,
    FLEETSYNC_EXECUTION_ID: work.executionId,
  };
  const remaining = () => Math.max(1, deadline - Date.now());
  const run = async (label: string, script: { shell: 'sh' | 'bash'; body: string }, extraEnv: Record<string, string> = {}) => {
    const r = await runScript(script.shell, script.body, {
      timeoutMs: remaining(),
      env: { ...env, ...extraEnv },
      cwd: ctx.root || undefined,
    });
    out.add(label, r);
    return r;
  };
  const timedOut = (r: ProcessResult): Outcome | null =>
    r.timedOut
      ? { status: 'timed_out', outcome: 'timeout', exitCode: r.exitCode, message: `exceeded ${work.timeoutSeconds} s` }
      : null;
  const detectionCtx: DetectionContext = { root: ctx.root, env };

  const main = async (): Promise<Outcome> => {
    if (work.preScript) {
      const r = await run('pre-script', work.preScript);
      if (timedOut(r)) return timedOut(r)!;
      if (r.exitCode !== 0) return failed('exit_code', r.exitCode, `the pre-script exited with ${r.exitCode}`);
    }
    let outcome: Outcome;
    switch (work.action) {
      case 'script': {
        const r = await run('', work.script!);
        outcome =
          timedOut(r) ??
          (r.exitCode === 0
            ? { status: 'succeeded', outcome: 'ok', exitCode: 0 }
            : failed('exit_code', r.exitCode, r.error ?? `exited with ${r.exitCode}`));
        break;
      }
      case 'command': {
        const r = await runProcess(work.command!.argv, { timeoutMs: remaining(), env, cwd: ctx.root || undefined });
        out.add('', r);
        outcome =
          timedOut(r) ??
          (r.exitCode === 0
            ? { status: 'succeeded', outcome: 'ok', exitCode: 0 }
            : failed('exit_code', r.exitCode, r.error ?? `exited with ${r.exitCode}`));
        break;
      }
      case 'reboot':
        outcome = ctx.canReboot
          ? { status: 'succeeded', outcome: 'ok', exitCode: null, message: 'reboot initiated' }
          : failed('error', null, 'reboots are disabled on this agent (start it with --allow-reboot)');
        break;
      case 'package_install':
      case 'package_uninstall':
        outcome = await runPackage(work, ctx, run, detectionCtx, timedOut);
        break;
    }
    if (work.postScript && outcome.status === 'succeeded' && outcome.outcome === 'ok') {
      const r = await run('post-script', work.postScript);
      if (timedOut(r)) return timedOut(r)!;
      if (r.exitCode !== 0) return failed('exit_code', r.exitCode, `the post-script exited with ${r.exitCode}`);
    }
    return outcome;
  };

  let outcome: Outcome;
  try {
    outcome = await main();
  } catch (err) {
    outcome = failed('error', null, (err as Error).message.slice(0, 500));
  }
  return {
    executionId: work.executionId,
    attempt: work.attempt,
    ...outcome,
    stdout: out.stdout,
    stderr: out.stderr,
    startedAt,
    finishedAt: new Date().toISOString(),
  } as ExecutionResult;
}

async function runPackage(
  work: LeasedWork,
  ctx: WorkContext,
  run: (label: string, script: { shell: 'sh' | 'bash'; body: string }, env?: Record<string, string>) => Promise<ProcessResult>,
  detectionCtx: DetectionContext,
  timedOut: (r: ProcessResult) => Outcome | null,
): Promise<Outcome> {
  const pkg = work.package!;
  const installing = work.action === 'package_install';
  const before = await detect(pkg.detection, detectionCtx);
  if (installing && before)
    return {
      status: 'succeeded',
      outcome: 'already_installed',
      exitCode: null,
      message: `${pkg.name} ${pkg.version} is already installed; nothing to do`,
    };
  if (!installing && !before)
    return {
      status: 'succeeded',
      outcome: 'not_installed',
      exitCode: null,
      message: `${pkg.name} ${pkg.version} is not installed; nothing to do`,
    };

  const extraEnv: Record<string, string> = { FLEETSYNC_PACKAGE: pkg.name, FLEETSYNC_PACKAGE_VERSION: pkg.version };
  let artifactFile: string | undefined;
  try {
    if (installing && pkg.artifact) {
      const bytes = await ctx.fetchArtifact(pkg.artifact.sha256);
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== pkg.artifact.sha256)
        return failed('checksum_mismatch', null, `the artifact hashes to ${actual}, not ${pkg.artifact.sha256}; not run`);
      await mkdir(ctx.tmpDir, { recursive: true, mode: 0o700 });
      artifactFile = path.join(ctx.tmpDir, `${work.executionId}-${path.basename(pkg.artifact.fileName)}`);
      await writeFile(artifactFile, bytes, { mode: 0o700 });
      extraEnv.FLEETSYNC_ARTIFACT = artifactFile;
    }
    const script = installing ? pkg.installScript : pkg.uninstallScript;
    if (!script) return failed('error', null, 'this package version has no uninstall script');
    const r = await run(installing ? 'install' : 'uninstall', script, extraEnv);
    if (timedOut(r)) return timedOut(r)!;
    if (r.exitCode !== 0)
      return failed('exit_code', r.exitCode, `the ${installing ? 'install' : 'uninstall'} script exited with ${r.exitCode}`);
    const after = await detect(pkg.detection, detectionCtx);
    if (installing && !after)
      return failed('detection_failed', 0, `exit code 0, but ${pkg.name} ${pkg.version} is not detected after installing`);
    if (!installing && after)
      return failed('detection_failed', 0, `exit code 0, but ${pkg.name} ${pkg.version} is still detected after uninstalling`);
    return { status: 'succeeded', outcome: 'ok', exitCode: 0 };
  } finally {
    if (artifactFile) await rm(artifactFile, { force: true });
  }
}
