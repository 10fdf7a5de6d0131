/**
 * The catalog: software packages now ('package'), print models and slicer profiles later
 * ('model', 'profile': reserved, with a generic `metadata` field, for the engineer who adds
 * them). A package has versions; each version says how to install and uninstall it, which
 * artifact from the depot it needs (content-addressed, sha256), and how to detect it.
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { artifactRefSchema, scriptSchema } from '../fleet/agentProtocol.js';
import { detectionRuleProblem, detectionSchema } from '../fleet/detection.js';
import { stableStringify } from '../sync/merge.js';
import { baseFields, defineCollection, reject } from './define.js';

export const CATALOG_KINDS = ['package', 'model', 'profile'] as const;
export const PACKAGE_PLATFORMS = ['linux', 'windows', 'macos'] as const;

export const packageVersionSchema = z
  .object({
    version: z.string().min(1).max(120),
    platform: z.enum(PACKAGE_PLATFORMS),
    arch: z.string().max(20).optional(),
    installScript: scriptSchema,
    uninstallScript: scriptSchema.optional(),
    detection: detectionSchema,
    artifact: artifactRefSchema.optional(),
    releaseNotes: z.string().max(2000).optional(),
  })
  .strict();
export type PackageVersion = z.infer<typeof packageVersionSchema>;

export const catalogSchema = z
  .object({
    ...baseFields,
    kind: z.enum(CATALOG_KINDS),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    vendor: z.string().max(120).optional(),
    tags: z.array(z.string().min(1).max(40)).max(20).optional(),
    /** Packages: their versions (newest last or in any order; versions compare with compareVersions). */
    versions: z.array(packageVersionSchema).max(100).optional(),
    /** Open-ended data for kinds added later ('model', 'profile'). */
    metadata: z.record(z.string().min(1).max(60), z.union([z.string().max(2000), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type CatalogItem = z.infer<typeof catalogSchema>;

export const catalog = defineCollection({
  name: 'catalog',
  schemaVersion: 0,
  zod: catalogSchema,
  rule: ({ previous, next }) => {
    if (next._deleted) return { ok: true };
    if (previous && previous.kind !== next.kind) return reject(ErrorCode.WRITE_FORBIDDEN, "a catalog item's kind cannot change");
    if (next.kind !== 'package') return { ok: true };
    const versions = next.versions ?? [];
    const keys = versions.map((v) => `${v.version}|${v.platform}|${v.arch ?? ''}`);
    if (new Set(keys).size !== keys.length)
      return reject(ErrorCode.DOCUMENT_INVALID, 'a package lists each version once per platform');
    for (const v of versions) {
      for (const r of v.detection.rules) {
        const problem = detectionRuleProblem(r);
        if (problem) return reject(ErrorCode.DOCUMENT_INVALID, `version ${v.version}: ${problem}`);
      }
    }
    // A published version is immutable (deployments and history refer to it): add a new one instead.
    for (const old of previous?.versions ?? []) {
      const now = versions.find(
        (v) => v.version === old.version && v.platform === old.platform && (v.arch ?? '') === (old.arch ?? ''),
      );
      if (now && stableStringify(now) !== stableStringify(old)) {
        return reject(ErrorCode.WRITE_FORBIDDEN, `version ${old.version} is published and cannot change; add a new version`);
      }
    }
    return { ok: true };
  },
});
