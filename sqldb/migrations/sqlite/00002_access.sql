-- +goose Up
-- Access control: users, roles and their permissions, memberships (one role
-- per user per company), browser sessions, API tokens, TOTP recovery codes and
-- the sign-in attempts that drive throttling.
CREATE TABLE roles (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    description   TEXT NOT NULL,
    builtin       BOOLEAN NOT NULL DEFAULT FALSE,
    require_totp  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_permissions (
    role_id     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

-- password_hash is an argon2id hash in PHC string format, parameters included.
-- totp_last_step is the last accepted 30-second step, so no code works twice.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    totp_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret          TEXT NOT NULL DEFAULT '',
    totp_pending_secret  TEXT NOT NULL DEFAULT '',
    totp_last_step       INTEGER NOT NULL DEFAULT 0,
    last_login_at        TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_name ON users (name, id);
CREATE INDEX users_created ON users (created_at, id);

CREATE TABLE totp_recovery_codes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE memberships (
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    role_id     INTEGER NOT NULL REFERENCES roles (id),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE INDEX memberships_role ON memberships (role_id);

-- Only the SHA-256 of a session token is stored; id is a separate public
-- identifier for lists and logs.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    company_id    INTEGER REFERENCES companies (id),
    state         TEXT NOT NULL,
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    role_id       INTEGER NOT NULL REFERENCES roles (id),
    company_id    INTEGER REFERENCES companies (id),
    expires_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    last_used_at  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX api_tokens_role ON api_tokens (role_id);

-- Every sign-in attempt, kept for throttling and for the security log.
CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    email    TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       TIMESTAMP NOT NULL,
    outcome  TEXT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

-- +goose Down
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE totp_recovery_codes;
DROP TABLE users;
DROP TABLE role_permissions;
DROP TABLE roles;
