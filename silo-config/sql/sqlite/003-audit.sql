-- The audit trail (src/Vpp.Silo/Audit): one row per state-changing HTTP call. Append-only: rows are never updated;
-- the retention sweep (Audit:RetentionDays) deletes old ones. Instants are Unix milliseconds (UTC); Entities holds
-- the ids of the call's route as |id1|id2|; ServiceId is the silo's Orleans:ServiceId, so deployments that share a
-- database each read and sweep their own rows (the silo adds the column to a table that lacks it before this runs).
-- Idempotent.

CREATE TABLE IF NOT EXISTS VppAudit
(
    Id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ServiceId     text    NOT NULL DEFAULT '',
    AtUtcMs       integer NOT NULL,
    Actor         text    NOT NULL,
    Method        text    NOT NULL,
    Route         text    NOT NULL,
    Path          text    NOT NULL,
    Entities      text    NOT NULL,
    Body          text    NULL,
    BodyTruncated integer NOT NULL,
    Status        integer NOT NULL
);

DROP INDEX IF EXISTS IX_VppAudit_AtUtcMs;
DROP INDEX IF EXISTS IX_VppAudit_Actor;
CREATE INDEX IF NOT EXISTS IX_VppAudit_Service_Id ON VppAudit (ServiceId, Id);
CREATE INDEX IF NOT EXISTS IX_VppAudit_Service_AtUtcMs ON VppAudit (ServiceId, AtUtcMs);
CREATE INDEX IF NOT EXISTS IX_VppAudit_Service_Actor ON VppAudit (ServiceId, Actor, Id);

CREATE TRIGGER IF NOT EXISTS VppAudit_AppendOnly BEFORE UPDATE ON VppAudit
BEGIN
    SELECT RAISE(ABORT, 'VppAudit is append-only');
END;
