-- The customer space's accounts (io.cachet.delivery.cloud, part "space"). Portable between H2 2.x and PostgreSQL 15.
-- space_account: one per Certificate Manager e-mail (lower case). password_hash: api.security SecretHash
-- (pbkdf2-sha256$…), null until the holder sets it through the e-mail link. disabled: the account cannot log in.
CREATE TABLE space_account (
    id            VARCHAR(36)              NOT NULL PRIMARY KEY,
    email         VARCHAR(254)             NOT NULL,
    name          VARCHAR(300)             NOT NULL,
    language      VARCHAR(2)               NOT NULL,
    brand         VARCHAR(64),
    password_hash VARCHAR(200),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled      BOOLEAN                  NOT NULL
);
CREATE UNIQUE INDEX space_account_email ON space_account (email);

-- The cloud orders whose space an account holds. reported: whether the order's check cloud-space was told PASSED
-- (told again by the background job until it is).
CREATE TABLE space_account_order (
    order_id   VARCHAR(64)              NOT NULL PRIMARY KEY,
    account_id VARCHAR(36)              NOT NULL,
    opened_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    opened_by  VARCHAR(200)             NOT NULL,
    reported   BOOLEAN                  NOT NULL
);
CREATE INDEX space_account_order_account ON space_account_order (account_id, opened_at);

-- Single-use links to set (purpose "set") or reset ("reset") a password. secret_hash: SHA-256 (hex) of the
-- link's secret, never the secret. A new link of an account ends its unused ones (ended_at).
CREATE TABLE space_password_link (
    id          VARCHAR(36)              NOT NULL PRIMARY KEY,
    secret_hash VARCHAR(64)              NOT NULL,
    account_id  VARCHAR(36)              NOT NULL,
    purpose     VARCHAR(8)               NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    ended_at    TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX space_password_link_secret ON space_password_link (secret_hash);
CREATE INDEX space_password_link_account ON space_password_link (account_id, created_at);

-- Sessions. secret_hash: SHA-256 (hex) of the cookie's secret. stage: FACTOR (password checked, waiting for the
-- second factor; not a session yet) or LIVE. second_factor: whether the login passed one.
CREATE TABLE space_session (
    id            VARCHAR(36)              NOT NULL PRIMARY KEY,
    secret_hash   VARCHAR(64)              NOT NULL,
    account_id    VARCHAR(36)              NOT NULL,
    csrf          VARCHAR(64)              NOT NULL,
    stage         VARCHAR(8)               NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at      TIMESTAMP WITH TIME ZONE,
    second_factor BOOLEAN                  NOT NULL
);
CREATE UNIQUE INDEX space_session_secret ON space_session (secret_hash);
CREATE INDEX space_session_account ON space_session (account_id);

-- Failed logins and re-authentications, per account ("account:<id>") and per client ("client:<address>").
-- locked_until: refused without checking until then (a lockout that doubles with each failure past the limit).
CREATE TABLE space_failure (
    subject      VARCHAR(120)             NOT NULL PRIMARY KEY,
    failures     INTEGER                  NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Second factors. kind: totp or webauthn. totp_secret: the TOTP key sealed with the master key (SecretVault,
-- purpose cloudspace.totp; Base64); confirmed: false until the holder proved it with a code; last_step: the last
-- time step accepted (a code is never accepted twice). credential_id (Base64url), public_key (COSE key, Base64url),
-- sign_count, aaguid: a WebAuthn authenticator.
CREATE TABLE space_factor (
    id            VARCHAR(36)              NOT NULL PRIMARY KEY,
    account_id    VARCHAR(36)              NOT NULL,
    kind          VARCHAR(16)              NOT NULL,
    name          VARCHAR(100)             NOT NULL,
    confirmed     BOOLEAN                  NOT NULL,
    totp_secret   VARCHAR(400),
    last_step     BIGINT,
    credential_id VARCHAR(1400),
    public_key    VARCHAR(4000),
    sign_count    BIGINT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX space_factor_account ON space_factor (account_id, kind);

-- WebAuthn challenges waiting for their answer (one per account and purpose: get or create), single use.
CREATE TABLE space_challenge (
    account_id VARCHAR(36)              NOT NULL,
    purpose    VARCHAR(8)               NOT NULL,
    challenge  VARCHAR(100)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, purpose)
);

-- The module's keys, sealed with the master key (Base64): the public forms' key (login, password, forgot pages).
CREATE TABLE space_key (
    name   VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed VARCHAR(8000) NOT NULL
);
