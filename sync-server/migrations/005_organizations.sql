-- Per-membership capability overrides (PBAC on top of the role).
ALTER TABLE memberships ADD COLUMN grants text[] NOT NULL DEFAULT '{}';
ALTER TABLE memberships ADD COLUMN denials text[] NOT NULL DEFAULT '{}';

-- Org settings shown to members.
ALTER TABLE orgs ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

-- Single-use, expiring invitations; only the hash of the link's secret is stored.
CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'manager', 'operator', 'requester', 'viewer')),
  token_hash text NOT NULL UNIQUE,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users (id)
);

-- Shared printers: readable by the listed orgs ('*' = all orgs). Maintained from the
-- document's sharedWithOrgs on every write.
ALTER TABLE documents ADD COLUMN shared_with text[] NOT NULL DEFAULT '{}';

-- A document moved to another org leaves a tombstone for the readers of the org it left.
CREATE TABLE document_moves (
  collection text NOT NULL,
  id text NOT NULL,
  from_org uuid NOT NULL,
  to_org uuid NOT NULL,
  data jsonb NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (collection, id, seq)
);
CREATE INDEX document_moves_by_seq ON document_moves (collection, from_org, seq);
ALTER TABLE document_moves ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_moves FORCE ROW LEVEL SECURITY;
CREATE POLICY document_moves_tenant ON document_moves
  USING (fleetsync_scope_all() OR from_org = ANY (fleetsync_scope_orgs()) OR to_org = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR from_org = ANY (fleetsync_scope_orgs()) OR to_org = ANY (fleetsync_scope_orgs()));

-- Reading includes printers shared with the caller's orgs; writing stays inside them.
DROP POLICY documents_tenant ON documents;
CREATE POLICY documents_read ON documents FOR SELECT
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs())
         OR '*' = ANY (shared_with) OR shared_with && (fleetsync_scope_orgs()::text[]));
CREATE POLICY documents_insert ON documents FOR INSERT
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));
CREATE POLICY documents_update ON documents FOR UPDATE
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));
CREATE POLICY documents_delete ON documents FOR DELETE
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));
