-- Print farm: models with file revisions, print profiles, quotas. Files themselves live on
-- disk, content-addressed (<DATA_DIR>/blobs/sha256/ab/cdef...); rows only name them.

CREATE TABLE models (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  latest_revision int NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX models_org ON models (org_id, created_at);

CREATE TABLE model_revisions (
  id uuid PRIMARY KEY,
  model_id uuid NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  revision int NOT NULL CHECK (revision > 0),
  changelog text NOT NULL DEFAULT '',
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  file_name text NOT NULL,
  file_kind text NOT NULL CHECK (file_kind IN ('gcode', '3mf')),
  metadata jsonb NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (model_id, revision)
);
CREATE INDEX model_revisions_org ON model_revisions (org_id);

CREATE TABLE print_profiles (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name text NOT NULL,
  layer_height_mm numeric NOT NULL,
  nozzle_diameter_mm numeric NOT NULL,
  material text NOT NULL,
  printer_model text NOT NULL DEFAULT '',
  settings jsonb NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX print_profiles_org ON print_profiles (org_id, name);

-- Quotas: one per member (per org), and per group of members. NULL limit = unlimited.
CREATE TABLE quota_limits (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  period text NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'semester')),
  max_grams numeric,
  max_hours numeric,
  max_jobs int,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);

CREATE TABLE quota_groups (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  name text NOT NULL,
  member_ids uuid[] NOT NULL DEFAULT '{}',
  period text NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'semester')),
  max_grams numeric,
  max_hours numeric,
  max_jobs int,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quota_groups_org ON quota_groups (org_id);

-- Quota usage and chargebacks read jobs by who is charged.
CREATE INDEX documents_jobs_charged ON documents (org_id, (data ->> 'chargedToUserId')) WHERE collection = 'jobs';

ALTER TABLE models ENABLE ROW LEVEL SECURITY;
ALTER TABLE models FORCE ROW LEVEL SECURITY;
CREATE POLICY models_tenant ON models
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE model_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_revisions FORCE ROW LEVEL SECURITY;
CREATE POLICY model_revisions_tenant ON model_revisions
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE print_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE print_profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY print_profiles_tenant ON print_profiles
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE quota_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota_limits FORCE ROW LEVEL SECURITY;
CREATE POLICY quota_limits_tenant ON quota_limits
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));

ALTER TABLE quota_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota_groups FORCE ROW LEVEL SECURITY;
CREATE POLICY quota_groups_tenant ON quota_groups
  USING (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()))
  WITH CHECK (fleetsync_scope_all() OR org_id = ANY (fleetsync_scope_orgs()));
