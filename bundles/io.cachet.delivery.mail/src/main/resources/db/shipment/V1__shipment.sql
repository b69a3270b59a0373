-- Registered-mail shipments of tokens. Portable between H2 2.x and PostgreSQL 15 (BYTEA is binary in both).
-- The recipient and address are the order's, copied when the letter is prepared: the label shows what was sent.
-- The receipt's scan is only ever stored encrypted with the shipment's data key (AES-256-GCM), itself sealed with the
-- deployment's master key (data_key).
CREATE TABLE shipment (
    id               VARCHAR(40)              NOT NULL PRIMARY KEY,
    order_id         VARCHAR(64)              NOT NULL,
    attempt          INTEGER                  NOT NULL,
    reference        VARCHAR(100)             NOT NULL,
    recipient        VARCHAR(300)             NOT NULL,
    address_lines    VARCHAR(1000)            NOT NULL,
    postal_code      VARCHAR(32)              NOT NULL,
    city             VARCHAR(200)             NOT NULL,
    country          VARCHAR(2)               NOT NULL,
    brand            VARCHAR(64),
    language         VARCHAR(8)               NOT NULL,
    carrier          VARCHAR(64)              NOT NULL,
    tracking_number  VARCHAR(64),
    state            VARCHAR(16)              NOT NULL,
    note             VARCHAR(500),
    data_key         VARCHAR(400)             NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at          TIMESTAMP WITH TIME ZONE,
    delivered_at     TIMESTAMP WITH TIME ZONE,
    polled_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT shipment_order_attempt UNIQUE (order_id, attempt)
);

CREATE INDEX shipment_state ON shipment (state, created_at);
CREATE INDEX shipment_tracking ON shipment (carrier, tracking_number);

-- The scan of the signed acknowledgement of receipt (the latest replaces the previous); data encrypted (AAD: the
-- shipment's id and the media type).
CREATE TABLE shipment_receipt (
    shipment_id  VARCHAR(40)              NOT NULL PRIMARY KEY,
    media_type   VARCHAR(40)              NOT NULL,
    size         BIGINT                   NOT NULL,
    sha256       VARCHAR(64)              NOT NULL,
    attached_by  VARCHAR(200)             NOT NULL,
    attached_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    data         BYTEA                    NOT NULL
);
