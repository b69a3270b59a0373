-- Orders. Portable between H2 2.x and PostgreSQL 15: no vendor types, no functions.
-- The personal data of an order (names, birth dates, e-mails, phones, addresses) lives here only: in request_json
-- and the search column, never in the audit log's details or the logs.
CREATE TABLE cachet_order (
    id              VARCHAR(40)              NOT NULL PRIMARY KEY,
    state           VARCHAR(16)              NOT NULL,
    reseller        VARCHAR(64),
    brand           VARCHAR(64)              NOT NULL,
    language        VARCHAR(3)               NOT NULL,
    product         VARCHAR(64)              NOT NULL,
    validity_years  INTEGER                  NOT NULL,
    medium          VARCHAR(8)               NOT NULL,
    request_json    VARCHAR(20000)           NOT NULL,
    -- lower case id, organisation name and identifier, the persons' names and e-mails: what ?q= searches
    search_text     VARCHAR(2000)            NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    reason          VARCHAR(1000),
    version         BIGINT                   NOT NULL
);

-- the list: newest first, by state, by reseller; the expiry job: open orders past their time
CREATE INDEX cachet_order_created ON cachet_order (created_at, id);
CREATE INDEX cachet_order_state ON cachet_order (state, created_at);
CREATE INDEX cachet_order_reseller ON cachet_order (reseller, created_at);
CREATE INDEX cachet_order_expiry ON cachet_order (expires_at, state);

-- every transition, the submission first (from_state NULL); audited with the same sequence
CREATE TABLE cachet_order_event (
    order_id    VARCHAR(40)              NOT NULL,
    sequence    BIGINT                   NOT NULL,
    happened_at TIMESTAMP WITH TIME ZONE NOT NULL,
    from_state  VARCHAR(16),
    to_state    VARCHAR(16)              NOT NULL,
    actor       VARCHAR(200)             NOT NULL,
    reason      VARCHAR(1000),
    CONSTRAINT cachet_order_event_pk PRIMARY KEY (order_id, sequence),
    CONSTRAINT cachet_order_event_order FOREIGN KEY (order_id) REFERENCES cachet_order (id)
);

-- the checks recorded when an order entered a state, one per installed OrderCheck that applied
CREATE TABLE cachet_order_check (
    order_id    VARCHAR(40)              NOT NULL,
    state       VARCHAR(16)              NOT NULL,
    kind        VARCHAR(100)             NOT NULL,
    status      VARCHAR(8)               NOT NULL,
    detail      VARCHAR(1000)            NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cachet_order_check_pk PRIMARY KEY (order_id, state, kind),
    CONSTRAINT cachet_order_check_order FOREIGN KEY (order_id) REFERENCES cachet_order (id)
);

-- Idempotency-Key of POST /api/v1/orders: per reseller (or caller), the key, the SHA-256 of the request as
-- validated, and the order it made
CREATE TABLE cachet_order_idempotency (
    scope       VARCHAR(200)             NOT NULL,
    idem_key    VARCHAR(200)             NOT NULL,
    body_hash   VARCHAR(64)              NOT NULL,
    order_id    VARCHAR(40)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT cachet_order_idempotency_pk PRIMARY KEY (scope, idem_key),
    CONSTRAINT cachet_order_idempotency_order FOREIGN KEY (order_id) REFERENCES cachet_order (id)
);
