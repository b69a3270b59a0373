-- Idempotent issuance: one row per caller's request id (e.g. an order id), written in the same transaction as the
-- certificate it produced, so a retried request returns that certificate instead of issuing a second one.
-- fingerprint is the SHA-256 (hex) of what the request asks for (profile, names, validity, public key): the same id
-- with another request is refused. serial is the certificate's (lower-case hex), issuer as in ca_certificate. The
-- row is inserted before the certificate is signed (a concurrent request with the same id waits on it, then finds
-- the result) and completed with the serial in the same transaction: a committed row always has its serial.
CREATE TABLE ca_issue_request (
    request_id  VARCHAR(128)             NOT NULL PRIMARY KEY,
    fingerprint VARCHAR(64)              NOT NULL,
    issuer      VARCHAR(64)              NOT NULL,
    serial      VARCHAR(40),
    actor       VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
