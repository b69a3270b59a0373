-- The root of a CA made with its root key on a token of its own (kept offline): the server needs its certificate
-- without logging in to that token. issuer is the SHA-256 of the issuing CA certificate (hex), as in ca_certificate.
CREATE TABLE ca_root (
    issuer      VARCHAR(64)  NOT NULL PRIMARY KEY,
    root_token  VARCHAR(64)  NOT NULL,
    der         BYTEA        NOT NULL
);

-- Authority revocation lists signed by a root (its CRL of sub-CAs), newest = highest number. root is the SHA-256
-- of the root certificate (hex).
CREATE TABLE ca_arl (
    root        VARCHAR(64)              NOT NULL,
    arl_number  BIGINT                   NOT NULL,
    this_update TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update TIMESTAMP WITH TIME ZONE NOT NULL,
    der         BYTEA                    NOT NULL,
    PRIMARY KEY (root, arl_number)
);
