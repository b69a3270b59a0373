-- Several reminders per order (reminderDays lists thresholds, e.g. 7 and 1 day before the deadline): one row per order
-- and threshold, written in the transaction that queues that reminder; the primary key keeps each to once when
-- several nodes sweep. The rows of portal_reminder (one reminder per order, whose threshold was not recorded) are
-- kept as the default's first threshold, 7 days: an order already reminded then still gets its later reminders.
CREATE TABLE portal_reminder_sent (
    order_id     VARCHAR(64)              NOT NULL,
    days         INTEGER                  NOT NULL,
    deadline     TIMESTAMP WITH TIME ZONE NOT NULL,
    reminded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (order_id, days)
);
INSERT INTO portal_reminder_sent (order_id, days, deadline, reminded_at)
    SELECT order_id, 7, deadline, reminded_at FROM portal_reminder;
DROP TABLE portal_reminder;
