-- Operator accounts. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15.
CREATE TABLE operator (
    login                VARCHAR(64)              NOT NULL PRIMARY KEY,
    password_hash        VARCHAR(200)             NOT NULL,
    roles                VARCHAR(200)             NOT NULL,
    must_change_password BOOLEAN                  NOT NULL,
    failed_logins        INTEGER                  DEFAULT 0 NOT NULL,
    locked_until         TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Only the SHA-256 of a key's secret is stored; the key itself is shown once, when it is created.
CREATE TABLE operator_api_key (
    key_id      VARCHAR(32)              NOT NULL PRIMARY KEY,
    login       VARCHAR(64)              NOT NULL REFERENCES operator (login),
    secret_hash VARCHAR(64)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX operator_api_key_login ON operator_api_key (login);
