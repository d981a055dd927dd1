-- Reminders for the Orleans ADO.NET provider (Microsoft.Orleans.Reminders.AdoNet) on SQLite
-- (Invariant "System.Data.SQLite", which the 10.4.2 reminder provider maps to Microsoft.Data.Sqlite's factory).
-- Written for this project from the provider contract; idempotent.
--
-- Parameters: @ServiceId, @GrainId (text), @ReminderName, @StartTime, @Period (milliseconds),
-- @GrainHash (uint hash passed as a signed int), @BeginHash/@EndHash (ring range, signed ints), @Version.
-- Read queries return GrainId, ReminderName, StartTime, Period, Version; UpsertReminderRowKey returns
-- Version; DeleteReminderRowKey returns one boolean column (1 = deleted).
-- Ring ranges are (BeginHash, EndHash]: ReadRangeRows1Key when BeginHash < EndHash, ReadRangeRows2Key
-- (wrapping around) otherwise.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text    NOT NULL,
    GrainId      text    NOT NULL,
    ReminderName text    NOT NULL,
    StartTime    text    NOT NULL,
    Period       integer NOT NULL,
    GrainHash    integer NOT NULL,
    Version      integer NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime,
        Period = excluded.Period,
        GrainHash = excluded.GrainHash,
        Version = OrleansRemindersTable.Version + 1
    RETURNING Version;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadReminderRowsKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
        AND GrainId = @GrainId;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadReminderRowKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
        AND GrainId = @GrainId
        AND ReminderName = @ReminderName;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadRangeRows1Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
        AND GrainHash > @BeginHash
        AND GrainHash <= @EndHash;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadRangeRows2Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
        AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- changes() counts the rows the DELETE just removed on this connection (the provider runs both statements
-- on one connection, one command).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteReminderRowKey',
    'DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
        AND GrainId = @GrainId
        AND ReminderName = @ReminderName
        AND Version = @Version;
    SELECT changes() > 0;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
