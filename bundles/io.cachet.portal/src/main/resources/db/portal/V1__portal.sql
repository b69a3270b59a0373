-- Personal links and the portal's own key. Portable between H2 2.x and PostgreSQL 15: no vendor types, no functions.
-- A link's token is never stored: only its SHA-256 (hex). live_key is '<order>|<role>|<purpose>' while the link is
-- not revoked and NULL once it is: the unique constraint keeps one live link per order, person and purpose even
-- when two nodes issue at once (several NULLs are allowed by both databases).
CREATE TABLE portal_link (
    id          VARCHAR(40)              NOT NULL PRIMARY KEY,
    token_hash  VARCHAR(64)              NOT NULL,
    order_id    VARCHAR(64)              NOT NULL,
    role        VARCHAR(32)              NOT NULL,
    purpose     VARCHAR(32)              NOT NULL,
    email       VARCHAR(320)             NOT NULL,
    path        VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    live_key    VARCHAR(200),
    CONSTRAINT portal_link_token UNIQUE (token_hash),
    CONSTRAINT portal_link_live UNIQUE (live_key)
);

CREATE INDEX portal_link_order ON portal_link (order_id, created_at);

-- Keys of the portal (the anti-forgery key of its forms), sealed with the deployment's master key, shared by
-- every node.
CREATE TABLE portal_key (
    name    VARCHAR(64)   NOT NULL PRIMARY KEY,
    sealed  VARCHAR(1000) NOT NULL
);
