-- Outbound webhooks of resellers. Portable between H2 2.x and PostgreSQL: no vendor types, no functions.
-- An endpoint's signing secret is sealed with the master key (SecretVault, purpose webhook.secret.<id>), base64;
-- after a rotation the previous secret keeps signing (a second signature) until previous_until.
CREATE TABLE webhook_endpoint (
    id              VARCHAR(40)              NOT NULL PRIMARY KEY,
    reseller        VARCHAR(40)              NOT NULL,
    url             VARCHAR(2000)            NOT NULL,
    secret          VARCHAR(1000)            NOT NULL,
    previous_secret VARCHAR(1000),
    previous_until  TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at      TIMESTAMP WITH TIME ZONE,
    deleted_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX webhook_endpoint_reseller ON webhook_endpoint (reseller, deleted_at);

-- One row per order transition and endpoint, inserted in the transition's transaction; the body is fixed then, so
-- every attempt sends the same bytes. (endpoint, order_id, event_sequence) is unique: a transition recorded again
-- (a retried call) queues nothing new. Only PENDING rows change; senders claim them with FOR UPDATE SKIP LOCKED.
CREATE TABLE webhook_delivery (
    id              VARCHAR(40)              NOT NULL PRIMARY KEY,
    endpoint        VARCHAR(40)              NOT NULL,
    order_id        VARCHAR(100)             NOT NULL,
    event_sequence  BIGINT                   NOT NULL,
    event_type      VARCHAR(50)              NOT NULL,
    body            VARCHAR(8000)            NOT NULL,
    status          VARCHAR(10)              NOT NULL,
    attempts        INTEGER                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    last_status     INTEGER,
    last_error      VARCHAR(1000),
    CONSTRAINT webhook_delivery_event UNIQUE (endpoint, order_id, event_sequence)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at);
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint, created_at);

-- The delivery log: every attempt, with what the receiver answered (or the error), how long it took and when the
-- next attempt is due (null when none is).
CREATE TABLE webhook_attempt (
    delivery        VARCHAR(40)              NOT NULL,
    attempt         INTEGER                  NOT NULL,
    attempted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    status_code     INTEGER,
    error           VARCHAR(1000),
    duration_ms     BIGINT                   NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    node            VARCHAR(100),
    CONSTRAINT webhook_attempt_pk PRIMARY KEY (delivery, attempt)
);
