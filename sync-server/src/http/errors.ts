/** One error type and one error middleware: every failure leaves as `{ error: { code, message, details } }`. */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ErrorCode } from '@fleetsync/shared';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_COLLECTION: 404,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_REVOKED: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_EXPIRED: 401,
  REFRESH_REUSED: 401,
  MFA_INVALID: 401,
  MFA_REQUIRED: 401,
  MFA_SETUP_REQUIRED: 403,
  PASSWORD_POLICY: 400,
  IP_NOT_ALLOWED: 403,
  LOCKOUT_PREVENTED: 409,
  CSRF_FAILED: 403,
  ORG_FORBIDDEN: 403,
  WRITE_FORBIDDEN: 403,
  ORG_SUSPENDED: 403,
  DOCUMENT_INVALID: 400,
  SERVER_FIELD_FORBIDDEN: 400,
  ORG_CHANGE_FORBIDDEN: 400,
  INVALID_TRANSITION: 409,
  QUOTA_EXCEEDED: 403,
  INVITATION_INVALID: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CLIENT_TOO_OLD: 426,
  SERVER_TOO_OLD: 426,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code] ?? 500;
  }
}

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if (err?.type === 'entity.too.large') appErr = new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'request body is too large');
    else if (err?.type === 'entity.parse.failed') appErr = new AppError(ErrorCode.BAD_REQUEST, 'request body is not valid JSON');
    else {
      log.error({ err }, 'unhandled error');
      appErr = new AppError(ErrorCode.INTERNAL, 'internal error');
    }
    if (res.headersSent) return;
    const retry = (appErr.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (appErr.code === ErrorCode.RATE_LIMITED && retry) res.set('Retry-After', String(retry));
    res.status(appErr.status).json({ error: { code: appErr.code, message: appErr.message, details: appErr.details } });
  };
}
