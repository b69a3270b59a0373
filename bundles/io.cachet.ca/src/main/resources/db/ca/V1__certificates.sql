-- Certificates issued by Cachet's CAs. Portable between H2 2.x and PostgreSQL 15 (BYTEA is a binary type in both).

-- One row per issued certificate; the primary key makes serial numbers unique per issuing CA.
-- issuer is the SHA-256 of the issuing CA certificate (hex); serial is lower-case hex without leading zeros.
CREATE TABLE ca_certificate (
    issuer            VARCHAR(64)              NOT NULL,
    serial            VARCHAR(40)              NOT NULL,
    subject           VARCHAR(1000)            NOT NULL,
    not_before        TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after         TIMESTAMP WITH TIME ZONE NOT NULL,
    der               BYTEA                    NOT NULL,
    revoked_at        TIMESTAMP WITH TIME ZONE,
    revocation_reason INTEGER,
    PRIMARY KEY (issuer, serial)
);
CREATE INDEX ca_certificate_revoked ON ca_certificate (issuer, revoked_at);

-- The last CRL number given out per issuing CA (monotonic, RFC 5280 5.2.3).
CREATE TABLE ca_crl_number (
    issuer     VARCHAR(64) NOT NULL PRIMARY KEY,
    crl_number BIGINT      NOT NULL
);
