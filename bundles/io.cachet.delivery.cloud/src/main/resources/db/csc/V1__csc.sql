-- The CSC API (Cloud Signature Consortium API v2 subset). Portable between H2 2.x and PostgreSQL 15.
-- Secrets handed to clients (access tokens, SADs) are kept only as their SHA-256 (lower-case hex): a copy of the
-- database gives nobody a usable token or SAD.

-- csc_token: a bearer token issued by auth/login to a customer-space account (account_id = the holder's id).
-- client: the address it was issued to (for the audit and the holder's information). revoked: auth/revoke.
CREATE TABLE csc_token (
    token_hash VARCHAR(64)              NOT NULL PRIMARY KEY,
    account_id VARCHAR(64)              NOT NULL,
    client     VARCHAR(100)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked    BOOLEAN                  NOT NULL
);
CREATE INDEX csc_token_expiry ON csc_token (expires_at);

-- csc_sad: a Signature Activation Data issued by credentials/authorize, bound (SCAL2) to the account, the credential
-- (the cloud order's id), the hash algorithm and the hashes listed in csc_sad_hash. used_up: every hash was signed.
CREATE TABLE csc_sad (
    sad_hash       VARCHAR(64)              NOT NULL PRIMARY KEY,
    account_id     VARCHAR(64)              NOT NULL,
    credential_id  VARCHAR(64)              NOT NULL,
    hash_algorithm VARCHAR(64)              NOT NULL,
    num_signatures INTEGER                  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    used_up        BOOLEAN                  NOT NULL
);
CREATE INDEX csc_sad_expiry ON csc_sad (expires_at);

-- The hashes a SAD authorises (Base64, standard alphabet, padded: one spelling per hash). used_at: when it was
-- signed; a hash is signed at most once, set by one conditional UPDATE under the SAD's row lock so that two nodes
-- cannot both use it.
CREATE TABLE csc_sad_hash (
    sad_hash   VARCHAR(64)              NOT NULL,
    hash_value VARCHAR(100)             NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (sad_hash, hash_value)
);
