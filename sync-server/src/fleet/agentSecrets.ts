/**
 * Enrollment secrets and agent credentials: random, prefixed (easy to spot in logs and by
 * secret scanners), shown once, stored as SHA-256 only. Both are high-entropy (256 bits), so a
 * plain digest is enough (anchors §2.4, as GitLab and Gitea do for tokens).
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../security/crypto.js';

export const ENROLLMENT_PREFIX = 'fse_';
export const AGENT_CREDENTIAL_PREFIX = 'fsa_';

export const newEnrollmentSecret = () => `${ENROLLMENT_PREFIX}${randomBytes(32).toString('base64url')}`;
export const newAgentCredential = () => `${AGENT_CREDENTIAL_PREFIX}${randomBytes(32).toString('base64url')}`;
export const secretHash = (secret: string) => sha256Hex(secret);
