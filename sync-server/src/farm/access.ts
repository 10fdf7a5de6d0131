/** Capability checks and org filters for the print-farm endpoints (all through `can()` in shared). */
import { can, ErrorCode, orgsWith, type Capability, type Principal } from '@fleetsync/shared';
import { AppError } from '../http/errors.js';

/** Orgs a list endpoint covers: one requested org (checked), else every org the principal has `cap` in. */
export interface OrgFilter {
  /** Platform staff: every org. */
  all: boolean;
  orgIds: string[];
}

/** A capability held in no particular org comes from a platform role (it reaches every org). */
const PLATFORM_WIDE = '00000000-0000-0000-0000-000000000000';

export function orgFilter(principal: Principal, cap: Capability, orgId?: string): OrgFilter {
  if (orgId) {
    requireCan(principal, cap, orgId, `you lack ${cap} in organization ${orgId}`);
    return { all: false, orgIds: [orgId] };
  }
  return { all: can(principal, cap, { orgId: PLATFORM_WIDE }), orgIds: orgsWith(principal, cap) };
}

export function requireCan(principal: Principal, cap: Capability, orgId: string, message?: string): void {
  if (!can(principal, cap, { orgId })) throw new AppError(ErrorCode.FORBIDDEN, message ?? `you lack ${cap} in this organization`);
}

/** Not readable and not existing look the same from outside. */
export function notFound(what: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `no ${what}`);
}
