-- Failed logins are throttled in memory now (exponential back-off per client and per account), not counted
-- and locked in the table: an attacker can no longer lock an account. Accounts can be disabled instead.
ALTER TABLE operator DROP COLUMN failed_logins;
ALTER TABLE operator DROP COLUMN locked_until;
ALTER TABLE operator ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;

-- API keys carry a scope (admin, operator, read), a label and an optional expiry, and can be rotated.
-- Keys made before this script were the initial administrator's: they keep full rights.
ALTER TABLE operator_api_key ADD COLUMN scope VARCHAR(16) DEFAULT 'admin' NOT NULL;
ALTER TABLE operator_api_key ADD COLUMN label VARCHAR(100) DEFAULT '' NOT NULL;
ALTER TABLE operator_api_key ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE operator_api_key ADD COLUMN rotated_at TIMESTAMP WITH TIME ZONE;
