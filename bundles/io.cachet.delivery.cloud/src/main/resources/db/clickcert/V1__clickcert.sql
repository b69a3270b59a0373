-- Click&Cert's documents. Portable between H2 2.x and PostgreSQL 15 (BYTEA is binary in both).
-- Contents are only ever stored encrypted (AES-256-GCM) with the document's own data key, itself sealed with the
-- deployment's master key (data_key); the associated data binds each blob to its document and slot. The original and
-- the PDF password are dropped once the document is signed; purging drops the signed PDF and the data key too
-- (crypto-shredding), leaving the row (hashes, times) as the history's record.
CREATE TABLE clickcert_document (
    id                  VARCHAR(40)              NOT NULL PRIMARY KEY,
    holder_id           VARCHAR(64)              NOT NULL,
    file_name           VARCHAR(255)             NOT NULL,
    size                BIGINT                   NOT NULL,
    sha256              VARCHAR(64)              NOT NULL,
    pages               INTEGER                  NOT NULL,
    encrypted           BOOLEAN                  NOT NULL,
    state               VARCHAR(16)              NOT NULL,
    data_key            VARCHAR(400),
    original            BYTEA,
    pdf_password        BYTEA,
    signed              BYTEA,
    signed_sha256       VARCHAR(64),
    signed_size         BIGINT                   NOT NULL DEFAULT 0,
    level               VARCHAR(8),
    order_id            VARCHAR(64),
    certificate_serial  VARCHAR(64),
    session_id          VARCHAR(64),
    upload_session_id   VARCHAR(64)              NOT NULL,
    signed_at           TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    purge_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    purged_at           TIMESTAMP WITH TIME ZONE
);

CREATE INDEX clickcert_document_holder ON clickcert_document (holder_id, created_at);
CREATE INDEX clickcert_document_due ON clickcert_document (state, purge_at);
