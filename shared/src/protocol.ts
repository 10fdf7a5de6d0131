/**
 * Wire protocol between replicas and the sync server, defined once. Every request
 * carries PROTOCOL_VERSION in the `x-fleetsync-protocol` header; a mismatch is answered
 * with 426 and CLIENT_TOO_OLD or SERVER_TOO_OLD so either side can tell the user why.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
export const PROTOCOL_HEADER = 'x-fleetsync-protocol';

/** Server-issued, opaque to clients: they store it and send it back unchanged. */
export const checkpointSchema = z.object({ cp: z.string().max(200) });
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const pullRequestSchema = z.object({
  checkpoint: checkpointSchema.nullish(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type PullRequest = z.input<typeof pullRequestSchema>;

/** A replicated document on the wire: domain fields plus `_deleted`. */
export type WireDoc = Record<string, unknown> & { id: string; _deleted: boolean };

export interface PullResponse {
  documents: WireDoc[];
  checkpoint: Checkpoint | null;
}

export const pushRowSchema = z.object({
  assumedMasterState: z.record(z.string(), z.unknown()).nullish(),
  newDocumentState: z.record(z.string(), z.unknown()),
});
export const pushRequestSchema = z.object({ rows: z.array(pushRowSchema).max(1000) });
export type PushRow = z.infer<typeof pushRowSchema>;

export interface PushRejection {
  id: string;
  code: string;
  message: string;
}

export interface PushResponse {
  /** Real master states of the rows that conflicted or were rejected (RxDB contract). */
  conflicts: WireDoc[];
  /** Per-document refusals with a stable code; the rest of the batch was applied. */
  rejections: PushRejection[];
}

/** Events on the live stream (Server-Sent Events, one stream per client carrying all collections). */
export type StreamEvent =
  | { type: 'hello'; protocolVersion: number; sessionId: string }
  | { type: 'changes'; collection: string; documents: WireDoc[]; checkpoint: Checkpoint }
  | { type: 'resync'; reason: 'connected' | 'scope-changed' }
  | { type: 'closed'; code: string; reason: string };
