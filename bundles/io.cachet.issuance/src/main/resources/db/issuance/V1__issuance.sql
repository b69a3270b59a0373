-- The ISSUANCE step of each order. Portable between H2 2.x and PostgreSQL 15.
-- One row per order that entered ISSUANCE (id = the order's id), written on entry with the subject frozen then.
-- status: PENDING (a cloud order's certificate to make; a DueRows queue: due from next_attempt_at, which a worker
-- moves forward by the lease when it takes the row and by the back-off when the attempt fails),
-- AWAITING_REQUEST (a token order waiting for its token's certification request), ISSUED, FAILED.
CREATE TABLE issuance (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    status          VARCHAR(20)              NOT NULL,
    profile         VARCHAR(10)              NOT NULL,
    common_name     VARCHAR(64)              NOT NULL,
    org_name        VARCHAR(200)             NOT NULL,
    org_identifier  VARCHAR(100)             NOT NULL,
    org_country     VARCHAR(2)               NOT NULL,
    validity_years  INTEGER                  NOT NULL,
    key_alias       VARCHAR(64),
    csr_pem         VARCHAR(20000),
    serial          VARCHAR(64),
    attempts        INTEGER                  NOT NULL,
    last_error      VARCHAR(1000),
    -- whether the order's check was told the outcome (ISSUED: passed, FAILED: failed); told after the outcome
    -- committed, and told again by the background job until it is
    reported        BOOLEAN                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX issuance_serial ON issuance (serial);
CREATE INDEX issuance_due ON issuance (status, next_attempt_at);
CREATE INDEX issuance_unreported ON issuance (reported, status);
