CREATE TABLE sample_item (
    id      BIGINT       NOT NULL PRIMARY KEY,
    name    VARCHAR(100) NOT NULL UNIQUE
);
