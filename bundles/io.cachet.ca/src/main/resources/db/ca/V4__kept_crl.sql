-- The last CRL each issuing CA published, kept so that a start serves it again while it is still what a new one
-- would say (as many entries as revoked certificates, younger than the refresh period, nextUpdate ahead) instead of
-- signing another: with 100k revoked certificates making one takes seconds, and every start made one.
-- issuer as in ca_certificate; entries = how many certificates it lists.
CREATE TABLE ca_crl (
    issuer      VARCHAR(64)              NOT NULL PRIMARY KEY,
    crl_number  BIGINT                   NOT NULL,
    this_update TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update TIMESTAMP WITH TIME ZONE NOT NULL,
    entries     BIGINT                   NOT NULL,
    der         BYTEA                    NOT NULL
);
