-- Webhook events of external proofing vendors already applied, against replays. Portable between H2 2.x and
-- PostgreSQL. (provider, event_id) is unique: the same event applied twice (a replay, or two deliveries racing)
-- fails on the key in the second transaction, which changes nothing. Rows are deleted once expires_at has passed
-- (at least twice the timestamp tolerance: an older event is refused on its timestamp anyway).
CREATE TABLE identity_vendor_event (
    provider    VARCHAR(40)              NOT NULL,
    event_id    VARCHAR(200)             NOT NULL,
    session_id  VARCHAR(200)             NOT NULL,
    case_id     VARCHAR(100)             NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT identity_vendor_event_pk PRIMARY KEY (provider, event_id)
);
CREATE INDEX identity_vendor_event_expiry ON identity_vendor_event (expires_at);
