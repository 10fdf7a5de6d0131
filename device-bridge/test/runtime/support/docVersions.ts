/**
 * Every stored version of every document, recorded by a trigger in the test's own throwaway
 * database: tests count what the server really wrote (writes per printer, command status
 * transitions) instead of timing anything.
 */
import type { Db } from '../../../../sync-server/src/db/pool.js';

export interface StoredVersion {
  seq: number;
  data: Record<string, unknown>;
}

export async function recordDocumentVersions(db: Db): Promise<void> {
  await db.query(`
    CREATE TABLE test_doc_versions (n bigserial PRIMARY KEY, collection text NOT NULL, id text NOT NULL, seq bigint NOT NULL, data jsonb NOT NULL);
    CREATE FUNCTION test_record_version() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
      INSERT INTO test_doc_versions (collection, id, seq, data) VALUES (NEW.collection, NEW.id, NEW.seq, NEW.data);
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_doc_versions AFTER INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION test_record_version();
  `);
}

export async function versionsOf(db: Db, collection: string, id: string): Promise<StoredVersion[]> {
  const res = await db.query<{ seq: string; data: Record<string, unknown> }>(
    'SELECT seq, data FROM test_doc_versions WHERE collection = $1 AND id = $2 ORDER BY n',
    [collection, id],
  );
  return res.rows.map((r) => ({ seq: Number(r.seq), data: r.data }));
}

/** The status of each stored version, with repeats of the same status collapsed. */
export async function statusTransitions(db: Db, collection: string, id: string): Promise<string[]> {
  const out: string[] = [];
  for (const v of await versionsOf(db, collection, id)) if (out.at(-1) !== v.data.status) out.push(String(v.data.status));
  return out;
}

export async function storedDoc(db: Db, collection: string, id: string): Promise<Record<string, unknown> | undefined> {
  const res = await db.query<{ data: Record<string, unknown> }>('SELECT data FROM documents WHERE collection = $1 AND id = $2', [
    collection,
    id,
  ]);
  return res.rows[0]?.data;
}
