-- The notification queue and outbox. Portable between H2 2.x and PostgreSQL 15: no vendor types, no functions.
-- One row per message, rendered when queued. Only PENDING rows change again; senders claim them with
-- SELECT ... FOR UPDATE SKIP LOCKED, one per transaction, so two nodes never deliver the same row.
CREATE TABLE notify_message (
    id              VARCHAR(36)              NOT NULL PRIMARY KEY,
    channel         VARCHAR(8)               NOT NULL,
    recipient       VARCHAR(320)             NOT NULL,
    template        VARCHAR(100)             NOT NULL,
    language        VARCHAR(3)               NOT NULL,
    brand           VARCHAR(64)              NOT NULL,
    subject         VARCHAR(1000)            NOT NULL,
    body            VARCHAR(100000)          NOT NULL,
    status          VARCHAR(8)               NOT NULL,
    attempts        INTEGER                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(1000),
    delivered_by    VARCHAR(100),
    idempotency_key VARCHAR(200),
    CONSTRAINT notify_message_key UNIQUE (idempotency_key)
);

-- what the senders look for
CREATE INDEX notify_message_due ON notify_message (status, next_attempt_at);
-- what the outbox lists
CREATE INDEX notify_message_listed ON notify_message (status, created_at);
