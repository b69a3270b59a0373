-- The certificate manager revokes their token's certificate from the status link with an SMS code (a lost or
-- stolen token): one row per order while a code is open or tries were spent. code_hmac: HMAC-SHA256 (hex) of the
-- open code, never the code; tries: wrong codes so far (they are not given back by a new code); locked_at: when the
-- last allowed wrong code locked the holder's revocation (support revokes from then on). The codes sent count in
-- token_pin_code with the PIN's: one limit of SMS codes per order and hour.
-- A revoked certificate's held PIN is erased (RevokedTokenPins, in the revocation's transaction): found by serial.
CREATE INDEX token_delivery_certificate ON token_delivery (certificate_serial);

CREATE TABLE token_revocation_code (
    order_id   VARCHAR(64)              NOT NULL PRIMARY KEY,
    code_hmac  VARCHAR(64),
    expires_at TIMESTAMP WITH TIME ZONE,
    tries      INTEGER                  NOT NULL,
    locked_at  TIMESTAMP WITH TIME ZONE,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
