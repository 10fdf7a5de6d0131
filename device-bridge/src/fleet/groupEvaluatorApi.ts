/** The typed API of the group-evaluation worker, imported by both sides (STYLE 11: one comlink API per worker). */
import type { GroupDefinition, GroupSubject, RuleNode } from './sharedFleet.js';

export interface GroupEvaluatorApi {
  /** Group ids (the org's and the predefined ones) per device id. */
  memberships(devices: GroupSubject[], groups: GroupDefinition[], nowMs: number): Promise<Record<string, string[]>>;
  /** Ids of the devices a rule matches (a dynamic group's preview). */
  matching(rule: RuleNode, devices: GroupSubject[], nowMs: number): Promise<string[]>;
}
