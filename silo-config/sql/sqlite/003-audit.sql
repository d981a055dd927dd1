-- The audit trail (src/Vpp.Silo/Audit): one row per state-changing HTTP call. Append-only: rows are never updated;
-- the retention sweep (Audit:RetentionDays) deletes old ones. Instants are Unix milliseconds (UTC); Entities holds
-- the ids of the call's route as |id1|id2|. Idempotent.

CREATE TABLE IF NOT EXISTS VppAudit
(
    Id            INTEGER PRIMARY KEY AUTOINCREMENT,
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

CREATE INDEX IF NOT EXISTS IX_VppAudit_AtUtcMs ON VppAudit (AtUtcMs);
CREATE INDEX IF NOT EXISTS IX_VppAudit_Actor ON VppAudit (Actor, Id);

CREATE TRIGGER IF NOT EXISTS VppAudit_AppendOnly BEFORE UPDATE ON VppAudit
BEGIN
    SELECT RAISE(ABORT, 'VppAudit is append-only');
END;
