-- Identity cases. Portable between H2 2.x and PostgreSQL 15: no vendor types (BYTEA is binary in both), no functions.
-- Personal data of the evidence (images, the machine readable zone) is only ever stored encrypted with the case's
-- data key (AES-256-GCM), itself sealed with the deployment's master key (data_key); purging the evidence deletes
-- the blobs and the key.
CREATE TABLE identity_case (
    id             VARCHAR(40)              NOT NULL PRIMARY KEY,
    order_id       VARCHAR(64)              NOT NULL,
    role           VARCHAR(32)              NOT NULL,
    surname        VARCHAR(200)             NOT NULL,
    given_names    VARCHAR(200)             NOT NULL,
    birth_date     DATE                     NOT NULL,
    email          VARCHAR(320)             NOT NULL,
    language       VARCHAR(8)               NOT NULL,
    brand          VARCHAR(64),
    reseller       VARCHAR(64),
    status         VARCHAR(16)              NOT NULL,
    provider       VARCHAR(64)              NOT NULL,
    max_attempts   INTEGER                  NOT NULL,
    level          VARCHAR(64)              NOT NULL,
    data_key       VARCHAR(400),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    order_ended_at TIMESTAMP WITH TIME ZONE,
    purged_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT identity_case_person UNIQUE (order_id, role)
);

CREATE INDEX identity_case_status ON identity_case (status, updated_at);
CREATE INDEX identity_case_retention ON identity_case (purged_at, order_ended_at);

-- One try of the person. flow_token_hash: SHA-256 (hex) of the open attempt's flow token, NULL once the attempt is
-- submitted, replaced or its case ended. mrz: the accepted zone's data, encrypted (AAD: case id, attempt, "mrz").
CREATE TABLE identity_attempt (
    case_id         VARCHAR(40)              NOT NULL,
    number          INTEGER                  NOT NULL,
    provider        VARCHAR(64)              NOT NULL,
    reference       VARCHAR(200),
    document_type   VARCHAR(64),
    mrz             BYTEA,
    flow_token_hash VARCHAR(64),
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    submitted_at    TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (case_id, number),
    CONSTRAINT identity_attempt_flow UNIQUE (flow_token_hash)
);

CREATE INDEX identity_attempt_reference ON identity_attempt (provider, reference);
CREATE INDEX identity_attempt_submitted ON identity_attempt (submitted_at);

-- The latest image of each kind of an attempt; data encrypted (AAD: case id, attempt, kind), NULL once purged.
CREATE TABLE identity_evidence (
    case_id      VARCHAR(40)              NOT NULL,
    attempt      INTEGER                  NOT NULL,
    kind         VARCHAR(32)              NOT NULL,
    content_type VARCHAR(32)              NOT NULL,
    width        INTEGER                  NOT NULL,
    height       INTEGER                  NOT NULL,
    size         BIGINT                   NOT NULL,
    sha256       VARCHAR(64)              NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    data         BYTEA,
    PRIMARY KEY (case_id, attempt, kind)
);

-- The automatic checks of an attempt, in the order they ran.
CREATE TABLE identity_check (
    case_id  VARCHAR(40)   NOT NULL,
    attempt  INTEGER       NOT NULL,
    seq      INTEGER       NOT NULL,
    name     VARCHAR(64)   NOT NULL,
    passed   BOOLEAN       NOT NULL,
    detail   VARCHAR(500)  NOT NULL,
    PRIMARY KEY (case_id, attempt, seq)
);

CREATE TABLE identity_decision (
    case_id   VARCHAR(40)              NOT NULL,
    seq       INTEGER                  NOT NULL,
    operator  VARCHAR(200)             NOT NULL,
    approved  BOOLEAN                  NOT NULL,
    reason    VARCHAR(64),
    comment   VARCHAR(2000)            NOT NULL,
    attempt   INTEGER                  NOT NULL,
    decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Background work shared by every node, claimed with io.cachet.api.store.DueRows: the reminder of a case not
-- started ('reminder'), telling a provider a case ended or its attempt was replaced ('release', provider), reporting
-- a decided case to its order's check ('report', outcome PASSED or FAILED, detail: what the customer is told).
CREATE TABLE identity_job (
    id              VARCHAR(80)              NOT NULL PRIMARY KEY,
    case_id         VARCHAR(40)              NOT NULL,
    kind            VARCHAR(16)              NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    tries           INTEGER                  NOT NULL,
    provider        VARCHAR(64),
    outcome         VARCHAR(16),
    detail          VARCHAR(1000)
);

CREATE INDEX identity_job_due ON identity_job (status, next_attempt_at);

-- Keys of the identity pages (the anti-forgery key of the fresh-link form), sealed with the master key.
CREATE TABLE identity_key (
    name    VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed  VARCHAR(1000) NOT NULL
);
