import type { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import { AppError } from './errors.js';

/** Parses (never casts) a request body; failures become VALIDATION_FAILED with the issues. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      'the request body is not valid',
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}
