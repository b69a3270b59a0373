-- Token orders whose token never reached its holder (provisioning started again on another token, a letter lost):
-- the certificate is revoked and recorded here, and the order waits for the request of its next token.
-- generation: how many certificates of the order were discarded; the CA request id of the next one is
-- '<order id>#<generation>' (the first is the order's id), so a retried step never issues twice.
ALTER TABLE issuance ADD COLUMN generation INTEGER DEFAULT 0 NOT NULL;
CREATE TABLE issuance_discarded (
    order_id     VARCHAR(64)              NOT NULL,
    generation   INTEGER                  NOT NULL,
    serial       VARCHAR(64)              NOT NULL,
    reason       VARCHAR(40)              NOT NULL,
    actor        VARCHAR(200)             NOT NULL,
    discarded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (order_id, generation)
);
CREATE UNIQUE INDEX issuance_discarded_serial ON issuance_discarded (serial);
