-- Endpoint fleet: agent enrollment and credentials (hashed, never replicated), inventory
-- history, the artifact depot, rollout wave plans and the log of every result delivery.
-- Every table is tenant data: row-level security like the others (ENABLE + FORCE, scoped by
-- fleetsync_scope_all() / fleetsync_scope_orgs()).

-- One-time enrollment secrets: only the SHA-256 is stored; a secret works once, before it expires.
CREATE TABLE agent_enrollment_secrets (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  secret_hash text NOT NULL UNIQUE,
  label text NOT NULL DEFAULT '',
  bridge_id text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by_device text
);
CREATE INDEX agent_enrollment_secrets_org ON agent_enrollment_secrets (org_id, created_at);

-- Each enrolled agent's own credential (SHA-256 only), bound to its device and bridge.
CREATE TABLE agent_credentials (
  device_id text PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  bridge_id text NOT NULL,
  credential_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_seen_at timestamptz
);
CREATE INDEX agent_credentials_bridge ON agent_credentials (org_id, bridge_id);

-- What changed in a device's inventory, when (the device document holds only the current state).
CREATE TABLE device_inventory_history (
  id bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  device_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  inventory_hash text NOT NULL,
  changes jsonb NOT NULL
);
CREATE INDEX device_inventory_history_device ON device_inventory_history (org_id, device_id, id DESC);

-- The depot: artifacts by content (sha256), per organization.
CREATE TABLE depot_artifacts (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL,
  file_name text NOT NULL,
  content bytea NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, sha256)
);

-- A deployment's targets, snapshotted into waves when its rollout starts.
CREATE TABLE deployment_targets (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  deployment_id text NOT NULL,
  device_id text NOT NULL,
  wave_index int NOT NULL,
  PRIMARY KEY (deployment_id, device_id)
);
CREATE INDEX deployment_targets_wave ON deployment_targets (deployment_id, wave_index);

-- Every delivery of an execution report, accepted or not: shows "first final result wins".
CREATE TABLE execution_receipts (
  id bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  execution_id text NOT NULL,
  attempt int NOT NULL,
  kind text NOT NULL,
  outcome text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  via text NOT NULL
);
CREATE INDEX execution_receipts_execution ON execution_receipts (execution_id);

-- Finding an agent's work among the replicated documents.
CREATE INDEX documents_tasks_by_device ON documents ((data->>'deviceId')) WHERE collection = 'tasks';
CREATE INDEX documents_tasks_by_deployment ON documents ((data->>'deploymentId')) WHERE collection = 'tasks';

ALTER TABLE agent_enrollment_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_enrollment_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY agent_enrollment_secrets_tenant ON agent_enrollment_secrets
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE agent_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY agent_credentials_tenant ON agent_credentials
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE device_inventory_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_inventory_history FORCE ROW LEVEL SECURITY;
CREATE POLICY device_inventory_history_tenant ON device_inventory_history
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE depot_artifacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE depot_artifacts FORCE ROW LEVEL SECURITY;
CREATE POLICY depot_artifacts_tenant ON depot_artifacts
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE deployment_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE deployment_targets FORCE ROW LEVEL SECURITY;
CREATE POLICY deployment_targets_tenant ON deployment_targets
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE execution_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE execution_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY execution_receipts_tenant ON execution_receipts
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));
