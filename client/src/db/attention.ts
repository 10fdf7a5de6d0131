/**
 * The local-only `attention` collection: writes the server refused (SPEC S-P8), kept until
 * a person dismisses them. Never replicated.
 */
import type { RxJsonSchema } from 'rxdb';

export interface AttentionItem {
  /** `${collectionName}:${docId}` */
  id: string;
  /** The replicated collection ("collection" itself is a reserved RxDB field name). */
  collectionName: string;
  docId: string;
  code: string;
  message: string;
  /** The state this replica tried to write, so a person can see and redo it. */
  attempted: Record<string, unknown>;
  /** ISO time of the rejection. */
  at: string;
}

export const attentionSchema: RxJsonSchema<AttentionItem> = {
  title: 'attention',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    collectionName: { type: 'string', maxLength: 40 },
    docId: { type: 'string', maxLength: 64 },
    code: { type: 'string', maxLength: 64 },
    message: { type: 'string', maxLength: 2000 },
    attempted: { type: 'object' },
    at: { type: 'string', maxLength: 40 },
  },
  required: ['id', 'collectionName', 'docId', 'code', 'message', 'attempted', 'at'],
  additionalProperties: false,
};

export function attentionId(collection: string, docId: string): string {
  return `${collection}:${docId}`;
}
