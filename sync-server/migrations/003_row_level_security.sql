-- Row-level security as a second wall for tenant isolation (the application checks scope
-- itself first). The application connects as `fleetsync_app`, neither owner nor superuser;
-- every transaction that touches tenant rows sets `fleetsync.org_ids` with SET LOCAL.
CREATE FUNCTION fleetsync_scope_orgs() RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN coalesce(current_setting('fleetsync.org_ids', true), '') = '' THEN ARRAY[]::uuid[]
    ELSE string_to_array(current_setting('fleetsync.org_ids', true), ',')::uuid[]
  END
$$;
CREATE FUNCTION fleetsync_scope_all() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('fleetsync.all_orgs', true), '') = 'on'
$$;

ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY documents_tenant ON documents
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

-- Which org owns each of these ids, whatever the caller's scope: lets a push refuse a
-- foreign document with a clear code instead of failing the whole batch. Returns nothing
-- but ids and org ids.
CREATE FUNCTION fleetsync_doc_orgs(p_collection text, p_ids text[]) RETURNS TABLE (id text, org_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT d.id, d.org_id FROM documents d WHERE d.collection = p_collection AND d.id = ANY (p_ids)
$$;
