-- One open letter per order and token, kept by the database: the reference while the letter is open (not LOST or
-- RETURNED), else NULL (NULLs never collide in a unique constraint, on H2 as on PostgreSQL). Two callers (or nodes)
-- preparing the same token's letter at once then make one letter; the second reads the first's.
ALTER TABLE shipment ADD COLUMN open_reference VARCHAR(100);
UPDATE shipment SET open_reference = reference WHERE state NOT IN ('LOST', 'RETURNED');
ALTER TABLE shipment ADD CONSTRAINT shipment_order_open UNIQUE (order_id, open_reference);
