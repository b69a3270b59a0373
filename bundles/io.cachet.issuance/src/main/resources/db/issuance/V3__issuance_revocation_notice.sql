-- Revocations whose people could not be told at once because the order service was away: queued in the revocation's
-- own transaction, told (and removed) by a background job once the order service is back.
CREATE TABLE issuance_revocation_notice (
    serial     VARCHAR(64)              NOT NULL PRIMARY KEY,
    order_id   VARCHAR(64)              NOT NULL,
    reason     VARCHAR(40)              NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    queued_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
