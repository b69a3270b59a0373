-- Acceptance of orders. Portable between H2 2.x and PostgreSQL 15 (BYTEA is binary in both).
-- acceptance_form: one per order that entered ACCEPTANCE; pdf is the form with every signature made so far (each
-- acceptance replaces it by the same bytes plus one incremental revision).
CREATE TABLE acceptance_form (
    order_id     VARCHAR(64)              NOT NULL PRIMARY KEY,
    language     VARCHAR(8)               NOT NULL,
    brand        VARCHAR(64),
    pdf          BYTEA                    NOT NULL,
    signatures   INTEGER                  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE
);

-- One row per person who must accept (role: CERTIFICATE_MANAGER, or LEGAL_REPRESENTATIVE when another person);
-- roles: the parts the person plays, comma separated. reported_at: when the order's check of this person was told. code_hmac: HMAC-SHA256 (hex) of the open one-time code under
-- the deployment's code key, never the code; NULL when no code is open. tries: wrong codes given for the open code.
CREATE TABLE acceptance_person (
    order_id        VARCHAR(64)              NOT NULL,
    role            VARCHAR(32)              NOT NULL,
    roles           VARCHAR(80)              NOT NULL,
    name            VARCHAR(410)             NOT NULL,
    email           VARCHAR(320)             NOT NULL,
    mobile          VARCHAR(32)              NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    code_hmac       VARCHAR(64),
    code_expires_at TIMESTAMP WITH TIME ZONE,
    tries           INTEGER                  NOT NULL,
    accepted_at     TIMESTAMP WITH TIME ZONE,
    reported_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (order_id, role)
);

-- Every code sent, for the limit per hour.
CREATE TABLE acceptance_code (
    order_id VARCHAR(64)              NOT NULL,
    role     VARCHAR(32)              NOT NULL,
    sent_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX acceptance_code_person ON acceptance_code (order_id, role, sent_at);

-- The deployment's keys of this module (the one-time codes' HMAC key, the pages' form key), sealed with the master key.
CREATE TABLE acceptance_key (
    name   VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed VARCHAR(400)  NOT NULL
);
