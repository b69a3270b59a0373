-- Anchors chained to each other, and the identity of this audit chain (see AuditEncoding, AnchorJournal).

-- A random id of this database's audit chain, set once by the first anchoring; anchors sign it, and the anchor
-- journal in the data directory files its entries under it, so that a journal is never checked against another
-- database (after a switch to PostgreSQL, say).
ALTER TABLE audit_head ADD COLUMN chain_id VARCHAR(36);

-- The hash of the anchor this one follows (64 x '0' for the first); null for anchors made before anchors were
-- chained (statement cachet.audit.anchor.v1).
ALTER TABLE audit_anchor ADD COLUMN previous_anchor VARCHAR(64);
