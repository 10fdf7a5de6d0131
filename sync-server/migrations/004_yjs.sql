-- Collaborative notes (Yjs): the update log of each room, compacted now and then.
CREATE TABLE yjs_updates (
  room text NOT NULL,
  seq bigserial NOT NULL,
  org_id uuid NOT NULL REFERENCES orgs (id),
  update bytea NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room, seq)
);
ALTER TABLE yjs_updates ENABLE ROW LEVEL SECURITY;
ALTER TABLE yjs_updates FORCE ROW LEVEL SECURITY;
CREATE POLICY yjs_updates_tenant ON yjs_updates
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

-- Single-use connection tickets (a ticket is valid 30 s and may open one socket).
CREATE TABLE used_tickets (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
