-- The orders' evidence files. Portable between H2 2.x and PostgreSQL 15 (BYTEA is binary in both).
-- One row per order whose certificate was issued (id = the order's id), written in the order's transition out of
-- ISSUANCE. status: PENDING (to make: a DueRows queue, due from next_attempt_at, which a worker moves forward by the
-- lease when it takes the row and by the back-off when making it fails), DONE.
-- The file itself: AES-256-GCM under a random data key of its own (sealed_key, sealed with the master key, purpose
-- evidence.file-key); content = 1 || nonce (12) || ciphertext || tag, a fresh nonce per version, the order's id and
-- the version as associated data.
CREATE TABLE evidence_file (
    id                    VARCHAR(64)              NOT NULL PRIMARY KEY,
    status                VARCHAR(20)              NOT NULL,
    next_attempt_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts              INTEGER                  NOT NULL,
    last_error            VARCHAR(1000),
    version               INTEGER                  NOT NULL,
    sealed_key            BYTEA,
    content               BYTEA,
    size                  BIGINT,
    sha256                VARCHAR(64),
    sections              VARCHAR(4000),
    missing               VARCHAR(8000),
    created_at            TIMESTAMP WITH TIME ZONE,
    timestamped_at        TIMESTAMP WITH TIME ZONE,
    timestamp_valid_until TIMESTAMP WITH TIME ZONE,
    timestamps            INTEGER                  NOT NULL,
    -- when the re-timestamping job takes the file (the last archive time-stamp's TSA certificate's end minus the
    -- margin); moved forward by the lease while a node works on it
    next_timestamp_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX evidence_file_due ON evidence_file (status, next_attempt_at);
CREATE INDEX evidence_file_timestamp ON evidence_file (next_timestamp_at);
