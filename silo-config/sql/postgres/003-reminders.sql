-- Reminders for the Orleans ADO.NET provider (Microsoft.Orleans.Reminders.AdoNet) on PostgreSQL
-- (Invariant "Npgsql"). Written for this project from the provider contract; idempotent.
--
-- Parameters: @ServiceId, @GrainId (text), @ReminderName, @StartTime, @Period (milliseconds, int or bigint),
-- @GrainHash (uint hash passed as a signed int), @BeginHash/@EndHash (ring range, signed ints), @Version.
-- Read queries return GrainId, ReminderName, StartTime, Period, Version; UpsertReminderRowKey returns
-- Version; DeleteReminderRowKey returns one boolean column (true = deleted).
-- Ring ranges are (BeginHash, EndHash]: ReadRangeRows1Key when BeginHash < EndHash, ReadRangeRows2Key
-- (wrapping around) otherwise.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(150) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (CAST(@ServiceId AS varchar), CAST(@GrainId AS varchar), CAST(@ReminderName AS varchar),
         CAST(@StartTime AS timestamptz), CAST(@Period AS bigint), CAST(@GrainHash AS integer), 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime,
        Period = excluded.Period,
        GrainHash = excluded.GrainHash,
        Version = r.Version + 1
    RETURNING r.Version AS "Version";'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadReminderRowsKey',
    'SELECT
        GrainId AS "GrainId",
        ReminderName AS "ReminderName",
        StartTime AS "StartTime",
        Period AS "Period",
        Version AS "Version"
    FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS varchar)
        AND GrainId = CAST(@GrainId AS varchar);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadReminderRowKey',
    'SELECT
        GrainId AS "GrainId",
        ReminderName AS "ReminderName",
        StartTime AS "StartTime",
        Period AS "Period",
        Version AS "Version"
    FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS varchar)
        AND GrainId = CAST(@GrainId AS varchar)
        AND ReminderName = CAST(@ReminderName AS varchar);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadRangeRows1Key',
    'SELECT
        GrainId AS "GrainId",
        ReminderName AS "ReminderName",
        StartTime AS "StartTime",
        Period AS "Period",
        Version AS "Version"
    FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS varchar)
        AND GrainHash > CAST(@BeginHash AS integer)
        AND GrainHash <= CAST(@EndHash AS integer);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadRangeRows2Key',
    'SELECT
        GrainId AS "GrainId",
        ReminderName AS "ReminderName",
        StartTime AS "StartTime",
        Period AS "Period",
        Version AS "Version"
    FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS varchar)
        AND (GrainHash > CAST(@BeginHash AS integer) OR GrainHash <= CAST(@EndHash AS integer));'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteReminderRowKey',
    'WITH deleted AS
    (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = CAST(@ServiceId AS varchar)
            AND GrainId = CAST(@GrainId AS varchar)
            AND ReminderName = CAST(@ReminderName AS varchar)
            AND Version = CAST(@Version AS integer)
        RETURNING 1
    )
    SELECT COUNT(*) > 0 FROM deleted;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS varchar);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;
