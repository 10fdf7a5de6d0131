-- Device bridges (one per site) and the device credentials only they may read.
CREATE TABLE bridges (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id text NOT NULL,
  site_name text NOT NULL,
  version text NOT NULL,
  devices jsonb NOT NULL DEFAULT '[]',
  last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);
ALTER TABLE bridges ENABLE ROW LEVEL SECURITY;
ALTER TABLE bridges FORCE ROW LEVEL SECURITY;
CREATE POLICY bridges_tenant ON bridges
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

-- Printer access codes and API keys, AES-256-GCM sealed, bound to the printer id.
CREATE TABLE device_credentials (
  printer_id text PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  secret_enc text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE device_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY device_credentials_tenant ON device_credentials
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));
