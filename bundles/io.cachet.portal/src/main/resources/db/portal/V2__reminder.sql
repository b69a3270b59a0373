-- The orders whose persons were reminded that their order is about to expire: one row per order, written in the
-- transaction that queues the reminders, so that an order is reminded once even with several nodes sweeping (the
-- second insert fails on the primary key and that node leaves the order).
CREATE TABLE portal_reminder (
    order_id     VARCHAR(64)              NOT NULL PRIMARY KEY,
    deadline     TIMESTAMP WITH TIME ZONE NOT NULL,
    reminded_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
