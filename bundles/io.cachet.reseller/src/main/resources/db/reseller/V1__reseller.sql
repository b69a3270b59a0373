-- Resellers. Portable between H2 2.x and PostgreSQL: no vendor types. Each reseller has one API-only operator
-- account (table operator of the console module, by login); its keys are that account's keys.
CREATE TABLE reseller (
    id          VARCHAR(40)              NOT NULL PRIMARY KEY,
    name        VARCHAR(200)             NOT NULL,
    login       VARCHAR(64)              NOT NULL,
    brand       VARCHAR(64),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT reseller_login UNIQUE (login)
);
