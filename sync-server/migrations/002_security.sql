-- Every refresh token ever issued for a session; presenting a used one again means it was
-- stolen, and the whole session is revoked.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- TOTP: secret encrypted with AES-256-GCM; the last accepted time step blocks replays.
CREATE TABLE user_mfa (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_enc text NOT NULL,
  enabled_at timestamptz,
  last_time_step bigint NOT NULL DEFAULT 0
);
CREATE TABLE mfa_backup_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- Scoped API tokens, stored as SHA-256 of a high-entropy secret.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  last_eight text NOT NULL,
  scopes text[] NOT NULL,
  org_id uuid REFERENCES orgs (id) ON DELETE CASCADE,
  bridge_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Fixed-window counters shared by every server instance (login, MFA, token endpoints).
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  count int NOT NULL
);

-- Instance-wide (org_id NULL) and per-org settings.
CREATE TABLE security_settings (
  scope text PRIMARY KEY, -- 'instance' or the org id
  require_mfa boolean NOT NULL DEFAULT false,
  ip_allowlist text[] NOT NULL DEFAULT '{}',
  ip_allowlist_mode text NOT NULL DEFAULT 'all' CHECK (ip_allowlist_mode IN ('all', 'api')),
  loopback_bypass boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only, hash-chained audit log. Each row's hash covers its content and the previous
-- row's hash, so changing or removing a row breaks the chain from there on.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_label text,
  org_id uuid,
  ip text,
  user_agent text,
  action text NOT NULL,
  target text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_org ON audit_log (org_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
