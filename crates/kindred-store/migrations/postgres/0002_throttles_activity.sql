-- Throttles for sign-ins and registrations, shared by every server over this database (each row is
-- one key: a handle or a client address; rows quiet for a day are swept), and what aggregates need
-- of a member's activity: the days they were active and from when their reports count.

CREATE TABLE throttles (
    key           TEXT   PRIMARY KEY,
    window_start  BIGINT NOT NULL,
    attempts      BIGINT NOT NULL,
    lockouts      BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);

ALTER TABLE members ADD COLUMN active_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN last_active_day BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN counts_from BIGINT;
