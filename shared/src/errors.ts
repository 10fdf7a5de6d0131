/**
 * Stable error codes shared by server and clients. A code never changes meaning;
 * new situations get new codes. HTTP bodies carry `{ error: { code, message, details } }`.
 */
export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  SESSION_REVOKED: 'SESSION_REVOKED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  CLIENT_TOO_OLD: 'CLIENT_TOO_OLD',
  SERVER_TOO_OLD: 'SERVER_TOO_OLD',
  UNKNOWN_COLLECTION: 'UNKNOWN_COLLECTION',
  INTERNAL: 'INTERNAL',
  // Per-document push rejections (docs/SPEC.md, rules S-P*)
  ORG_FORBIDDEN: 'ORG_FORBIDDEN',
  ORG_CHANGE_FORBIDDEN: 'ORG_CHANGE_FORBIDDEN',
  SERVER_FIELD_FORBIDDEN: 'SERVER_FIELD_FORBIDDEN',
  DOCUMENT_INVALID: 'DOCUMENT_INVALID',
  WRITE_FORBIDDEN: 'WRITE_FORBIDDEN',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
