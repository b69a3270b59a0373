-- Token delivery. Portable between H2 2.x and PostgreSQL 15.
-- token_delivery: one row per token order that entered ISSUANCE (order_id = the order's id), for the current
-- provisioning attempt. stage: WAITING, INITIALISED, KEY_GENERATED, CERTIFIED, PROVISIONED, ACTIVATED.
-- public_key: the token key's SubjectPublicKeyInfo (Base64 DER). pin_ciphertext: the initialisation PIN as the
-- operator's station encrypted it to the pin-key (RSA-OAEP-256, Base64), erased when revealed or discarded; the
-- pin-key's private half is sealed with the master key in token_delivery_key, outside this row's reach.
-- pin_custody: NONE, HELD, REVEALED, LOCKED. code_hmac: HMAC-SHA256 (hex) of the open SMS code, never the code.
-- provisioned_reported / activated_reported: whether the order's check was told (told again by the job until it is).
CREATE TABLE token_delivery (
    order_id             VARCHAR(64)              NOT NULL PRIMARY KEY,
    attempt              INTEGER                  NOT NULL,
    stage                VARCHAR(16)              NOT NULL,
    token_label          VARCHAR(32)              NOT NULL,
    token_serial         VARCHAR(64),
    token_model          VARCHAR(200),
    token_firmware       VARCHAR(64),
    public_key           VARCHAR(2000),
    certificate_serial   VARCHAR(64),
    pin_custody          VARCHAR(16)              NOT NULL,
    pin_key_id           VARCHAR(32),
    pin_ciphertext       VARCHAR(1024),
    pin_revealed_at      TIMESTAMP WITH TIME ZONE,
    activated_at         TIMESTAMP WITH TIME ZONE,
    last_error           VARCHAR(500),
    code_hmac            VARCHAR(64),
    code_expires_at      TIMESTAMP WITH TIME ZONE,
    code_tries           INTEGER                  NOT NULL,
    provisioned_reported BOOLEAN                  NOT NULL,
    activated_reported   BOOLEAN                  NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX token_delivery_stage ON token_delivery (stage, created_at);

-- When an SMS code was sent for an order's PIN (codes per hour).
CREATE TABLE token_pin_code (
    order_id VARCHAR(64)              NOT NULL,
    sent_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX token_pin_code_order ON token_pin_code (order_id, sent_at);

-- The deployment's keys of this module, sealed with the master key (Base64): the pin-key's private half
-- (PKCS#8), the SMS codes' HMAC key and the pages' form key. pin_public: the pin-key's public half (Base64 SPKI).
CREATE TABLE token_delivery_key (
    name   VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed VARCHAR(8000) NOT NULL
);
