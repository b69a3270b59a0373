-- Organisation checks. Portable between H2 2.x and PostgreSQL 15 (BYTEA is binary in both; no functions).
-- Documents are only ever stored encrypted with the case's data key (AES-256-GCM), itself sealed with the
-- deployment's master key (data_key).
CREATE TABLE organisation_case (
    id              VARCHAR(40)              NOT NULL PRIMARY KEY,
    order_id        VARCHAR(64)              NOT NULL,
    status          VARCHAR(24)              NOT NULL,
    org_name        VARCHAR(300)             NOT NULL,
    org_country     VARCHAR(2)               NOT NULL,
    org_identifier  VARCHAR(32)              NOT NULL,
    org_vat         VARCHAR(32),
    representative  VARCHAR(400)             NOT NULL,
    email           VARCHAR(320)             NOT NULL,
    language        VARCHAR(8)               NOT NULL,
    brand           VARCHAR(64),
    data_key        VARCHAR(400)             NOT NULL,
    legal_basis     VARCHAR(16),
    extract_issued  DATE,
    extract_source  VARCHAR(200),
    decided_by      VARCHAR(200),
    decided_at      TIMESTAMP WITH TIME ZONE,
    reason          VARCHAR(1000),
    submitted_at    TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organisation_case_order UNIQUE (order_id)
);

CREATE INDEX organisation_case_status ON organisation_case (status, submitted_at);

-- Every document uploaded (older ones kept for the record); data encrypted (AAD: case id, document id, kind).
CREATE TABLE organisation_document (
    case_id      VARCHAR(40)              NOT NULL,
    id           VARCHAR(40)              NOT NULL,
    seq          INTEGER                  NOT NULL,
    kind         VARCHAR(16)              NOT NULL,
    file_name    VARCHAR(200)             NOT NULL,
    media_type   VARCHAR(40)              NOT NULL,
    size         BIGINT                   NOT NULL,
    sha256       VARCHAR(64)              NOT NULL,
    uploaded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    data         BYTEA                    NOT NULL,
    PRIMARY KEY (case_id, id),
    CONSTRAINT organisation_document_seq UNIQUE (case_id, seq)
);

-- The automatic checks of the case's latest documents, in a stable order (replaced when they run again).
CREATE TABLE organisation_check (
    case_id  VARCHAR(40)   NOT NULL,
    seq      INTEGER       NOT NULL,
    name     VARCHAR(64)   NOT NULL,
    result   VARCHAR(600)  NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Reports of a case's outcome to its order's check, made after the decision committed; claimed with
-- io.cachet.api.store.DueRows by the background job until done (several nodes share them).
CREATE TABLE organisation_job (
    id              VARCHAR(80)              NOT NULL PRIMARY KEY,
    case_id         VARCHAR(40)              NOT NULL,
    kind            VARCHAR(16)              NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    tries           INTEGER                  NOT NULL,
    outcome         VARCHAR(16),
    detail          VARCHAR(1000)
);

CREATE INDEX organisation_job_due ON organisation_job (status, next_attempt_at);

-- Keys of the organisation pages (the anti-forgery key of the upload form), sealed with the master key.
CREATE TABLE organisation_key (
    name    VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed  VARCHAR(1000) NOT NULL
);
