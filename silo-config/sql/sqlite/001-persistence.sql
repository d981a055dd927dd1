-- Grain persistence for the Orleans ADO.NET provider (Microsoft.Orleans.Persistence.AdoNet)
-- on SQLite (Invariant "System.Data.SQLite", served by Microsoft.Data.Sqlite).
--
-- Idempotent: every statement may run any number of times against the same file.
-- Requires SQLite >= 3.35 (RETURNING); the e_sqlite3 bundled with Microsoft.Data.Sqlite is newer.
--
-- Provider contract (read once, at silo start-up, from OrleansQuery):
--   parameters      @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
--                   @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary
--   ReadFromStorageKey  -> columns PayloadBinary, Version (no row = no state)
--   WriteToStorageKey   -> column NewGrainStateVersion; NO row on a version conflict
--   ClearStorageKey     -> column NewGrainStateVersion (first column); NO row on a version conflict
--   DeleteStorageKey    -> column NewGrainStateVersion (only used with DeleteStateOnClear = true)
-- The provider turns "no row" into an InconsistentStateException.
--
-- The hashes only narrow the index search. A grain is identified by its full key
-- (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString), so two grains
-- whose hashes collide never share a row. GrainIdExtensionString is NULL for plain integer/guid
-- keys; SQLite treats NULLs as distinct in UNIQUE indexes, so the key uses
-- IFNULL(GrainIdExtensionString, x'00'): a blob never equals any text value, so a NULL extension
-- cannot be confused with any real string (not even '').

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer NOT NULL,
    GrainIdN0              integer NOT NULL,
    GrainIdN1              integer NOT NULL,
    GrainTypeHash          integer NOT NULL,
    GrainTypeString        text    NOT NULL,
    GrainIdExtensionString text    NULL,
    ServiceId              text    NOT NULL,
    PayloadBinary          blob    NULL,
    ModifiedOn             text    NOT NULL,
    Version                integer NOT NULL
);

-- One row per grain state; hashes lead so the lookups below are index seeks.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_GrainKey ON OrleansStorage
(
    GrainIdHash,
    GrainTypeHash,
    ServiceId,
    GrainTypeString,
    GrainIdN0,
    GrainIdN1,
    IFNULL(GrainIdExtensionString, x'00')
);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey',
    'SELECT
        PayloadBinary,
        Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND IFNULL(GrainIdExtensionString, x''00'') = IFNULL(@GrainIdExtensionString, x''00'');'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Two statements, exactly one of which can affect a row:
--   known version  -> update the row only if it still carries that version (optimistic concurrency);
--   no version     -> insert version 1 only if the grain has no row yet.
-- Each statement is its own (auto-commit) write transaction, so the check and the change are atomic.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey',
    'UPDATE OrleansStorage
    SET
        PayloadBinary = @PayloadBinary,
        ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
        Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND IFNULL(GrainIdExtensionString, x''00'') = IFNULL(@GrainIdExtensionString, x''00'')
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;

    INSERT INTO OrleansStorage
    (
        GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
        GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version
    )
    SELECT
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version AS NewGrainStateVersion;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clearing keeps the row (and bumps its version) but drops the payload; the provider then reports
-- RecordExists = false while keeping the version as ETag. A clear without a version on a grain that
-- has no row records version 1 with no payload.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ClearStorageKey',
    'UPDATE OrleansStorage
    SET
        PayloadBinary = NULL,
        ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
        Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND IFNULL(GrainIdExtensionString, x''00'') = IFNULL(@GrainIdExtensionString, x''00'')
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;

    INSERT INTO OrleansStorage
    (
        GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
        GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version
    )
    SELECT
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, NULL, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version AS NewGrainStateVersion;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used only when AdoNetGrainStorageOptions.DeleteStateOnClear = true: removes the row if it still
-- carries the expected version and returns a version different from the deleted one.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteStorageKey',
    'DELETE FROM OrleansStorage
    WHERE @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND IFNULL(GrainIdExtensionString, x''00'') = IFNULL(@GrainIdExtensionString, x''00'')
        AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
