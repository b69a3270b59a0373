-- The phone flow's short links and its own key. Portable between H2 2.x and PostgreSQL 15.
-- A short link opens a flow on a phone: its code (8 characters a person can type) is stored as SHA-256 (hex); the
-- flow token it leads to is a secret and is stored sealed with the deployment's master key (base64).
CREATE TABLE identity_mobile_short (
    code_hash    VARCHAR(64)              NOT NULL PRIMARY KEY,
    case_id      VARCHAR(64)              NOT NULL,
    flow_sealed  VARCHAR(1000)            NOT NULL,
    language     VARCHAR(8)               NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX identity_mobile_short_expiry ON identity_mobile_short (expires_at);

-- The anti-forgery key of the flow's forms and uploads, sealed with the master key, shared by every node.
CREATE TABLE identity_mobile_key (
    name    VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed  VARCHAR(1000) NOT NULL
);
