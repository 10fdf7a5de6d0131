/**
 * Device groups: static (a list of device ids) or dynamic (a JSON rule over inventory, tags,
 * custom fields and last seen, evaluated by shared/src/fleet/groupRules.ts). Predefined groups
 * ("offline for more than 7 days") are not documents: see PREDEFINED_GROUPS.
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { groupRuleSchema, ruleProblems } from '../fleet/groupRules.js';
import { baseFields, defineCollection, reject } from './define.js';

export const GROUP_KINDS = ['static', 'dynamic'] as const;

export const deviceGroupSchema = z
  .object({
    ...baseFields,
    kind: z.enum(GROUP_KINDS),
    name: z.string().min(1).max(120),
    description: z.string().max(1000).optional(),
    /** Static groups: the members. */
    deviceIds: z.array(z.string().min(1).max(64)).max(5000).optional(),
    /** Dynamic groups: the rule. */
    rule: groupRuleSchema.optional(),
  })
  .strict();
export type DeviceGroup = z.infer<typeof deviceGroupSchema>;

export const deviceGroups = defineCollection({
  name: 'deviceGroups',
  schemaVersion: 0,
  zod: deviceGroupSchema,
  rule: ({ previous, next }) => {
    if (next._deleted) return { ok: true };
    if (previous && previous.kind !== next.kind)
      return reject(ErrorCode.WRITE_FORBIDDEN, "a group's kind cannot change; create a new group");
    if (next.kind === 'static' && next.rule) return reject(ErrorCode.DOCUMENT_INVALID, 'a static group has members, not a rule');
    if (next.kind === 'dynamic') {
      if (next.deviceIds?.length) return reject(ErrorCode.DOCUMENT_INVALID, 'a dynamic group has a rule, not members');
      if (!next.rule) return reject(ErrorCode.DOCUMENT_INVALID, 'a dynamic group needs a rule');
      const problems = ruleProblems(next.rule);
      if (problems.length > 0) return reject(ErrorCode.DOCUMENT_INVALID, `invalid rule: ${problems.slice(0, 5).join('; ')}`);
    }
    return { ok: true };
  },
});
