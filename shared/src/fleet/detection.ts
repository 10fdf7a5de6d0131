/**
 * Package detection rules (Intune/SCCM style): the agent detects before installing (a package
 * already detected is not reinstalled) and after (only detection decides success, not the exit
 * code). Paths may start with `${FLEETSYNC_ROOT}`, which a real agent leaves empty and a
 * simulated identity points at its own sandbox.
 */
import { z } from 'zod';
import { VERSION_OPERATORS } from './versions.js';

const path = z.string().min(1).max(500);

export const detectionRuleSchema = z
  .object({
    type: z.enum(['file_exists', 'file_version', 'dpkg_version', 'rpm_version', 'command_exit_code']),
    /** file_exists, file_version: the file; file_version reads its first line as the version. */
    path: path.optional(),
    /** dpkg_version, rpm_version: the package name. */
    package: z.string().min(1).max(200).optional(),
    /** file_version, dpkg_version, rpm_version: compare with `operator` (absent: installed at any version). */
    operator: z.enum(VERSION_OPERATORS).optional(),
    version: z.string().max(120).optional(),
    /** command_exit_code: a shell command (sh -c) and the exit code that means "detected". */
    command: z.string().min(1).max(2000).optional(),
    exitCode: z.number().int().min(0).max(255).optional(),
  })
  .strict();
export type DetectionRule = z.infer<typeof detectionRuleSchema>;

export const detectionSchema = z
  .object({ match: z.enum(['all', 'any']), rules: z.array(detectionRuleSchema).min(1).max(10) })
  .strict();
export type Detection = z.infer<typeof detectionSchema>;

/** What a rule needs beyond its type; null when complete. */
export function detectionRuleProblem(rule: DetectionRule): string | null {
  switch (rule.type) {
    case 'file_exists':
      return rule.path ? null : 'file_exists needs a path';
    case 'file_version':
      return rule.path && rule.operator && rule.version ? null : 'file_version needs path, operator and version';
    case 'dpkg_version':
    case 'rpm_version':
      if (!rule.package) return `${rule.type} needs a package`;
      return !!rule.operator === !!rule.version ? null : `${rule.type} needs both operator and version, or neither`;
    case 'command_exit_code':
      return rule.command ? null : 'command_exit_code needs a command';
  }
}

export function combineDetection(match: Detection['match'], results: boolean[]): boolean {
  return match === 'all' ? results.every(Boolean) : results.some(Boolean);
}
