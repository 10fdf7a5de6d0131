/** Members of an organization, invitations, and accepting an invitation link. */
import type { Capability, OrgRole } from '@fleetsync/shared';
import type { AuthedApi } from '../session/authedApi.js';
import { parseOrgRole } from './authTypes.js';
import { badShape, isObject, listOf, str, strings } from './parse.js';
import { requestJson } from './requestJson.js';

export interface Member {
  id: string;
  email: string;
  displayName: string;
  role: OrgRole;
  grants: Capability[];
  denials: Capability[];
}

const base = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}`;

export async function listMembers(api: AuthedApi, orgId: string): Promise<Member[]> {
  const out: Member[] = [];
  for (const m of listOf(await api.json(`${base(orgId)}/members`), 'members', 'members')) {
    const role = parseOrgRole(m.role);
    if (!role || !str(m.id)) continue;
    out.push({
      id: str(m.id),
      email: str(m.email),
      displayName: str(m.displayName),
      role,
      grants: strings(m.grants) as Capability[],
      denials: strings(m.denials) as Capability[],
    });
  }
  return out;
}

/** Changes the role and keeps the member's grants and denials (the server replaces all three). */
export async function setMemberRole(api: AuthedApi, orgId: string, member: Member, role: OrgRole): Promise<void> {
  await api.json(`${base(orgId)}/members/${encodeURIComponent(member.id)}`, {
    method: 'PUT',
    body: { role, grants: member.grants, denials: member.denials },
  });
}

export async function removeMember(api: AuthedApi, orgId: string, userId: string): Promise<void> {
  await api.json(`${base(orgId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}

export interface Invitation {
  email: string;
  role: OrgRole;
  /** Path and hash of the link to send, e.g. `/#/invite/<token>`. */
  link: string;
  expiresAt: string;
}

export async function invite(api: AuthedApi, orgId: string, email: string, role: OrgRole): Promise<Invitation> {
  const v = await api.json(`${base(orgId)}/invitations`, { method: 'POST', body: { email: email.trim(), role } });
  if (!isObject(v) || !str(v.link)) throw badShape('invitation');
  return { email: str(v.email), role: parseOrgRole(v.role) ?? role, link: str(v.link), expiresAt: str(v.expiresAt) };
}

export interface AcceptInput {
  token: string;
  displayName?: string;
  password?: string;
}

/** Works signed in or not: the link itself is the credential. */
export async function acceptInvitation(input: AcceptInput): Promise<{ email: string; role: string }> {
  const v = await requestJson('/api/invitations/accept', { method: 'POST', body: input });
  if (!isObject(v)) throw badShape('invitation');
  return { email: str(v.email), role: str(v.role) };
}
