-- Identity: users are global, organizations own resources, memberships carry the org role.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  platform_role text CHECK (platform_role IN ('owner', 'admin', 'support', 'billing')),
  -- Access granted before this instant is void (password reset, "sign out everywhere").
  not_valid_before timestamptz NOT NULL DEFAULT to_timestamp(0),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orgs (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  suspended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'manager', 'operator', 'requester', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  -- Sliding idle limit and absolute lifetime; whichever comes first ends the session.
  idle_expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  -- true until a user who must use MFA has set it up: only MFA setup is allowed then.
  mfa_setup_required boolean NOT NULL DEFAULT false,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Replicated documents of every collection. `seq` is a server-issued change sequence:
-- allocated under the sync_counter row lock, so commit order equals seq order and a
-- checkpoint (the last seq a replica saw) never skips a change that commits later.
CREATE TABLE sync_counter (
  id int PRIMARY KEY CHECK (id = 1),
  value bigint NOT NULL
);
INSERT INTO sync_counter (id, value) VALUES (1, 0);

CREATE TABLE documents (
  collection text NOT NULL,
  id text NOT NULL,
  org_id uuid NOT NULL REFERENCES orgs (id),
  data jsonb NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (collection, id)
);
CREATE INDEX documents_by_seq ON documents (collection, seq);
CREATE INDEX documents_by_org_seq ON documents (collection, org_id, seq);
