-- Grain persistence for the Orleans ADO.NET provider (Microsoft.Orleans.Persistence.AdoNet) on PostgreSQL
-- (Invariant "Npgsql"). Written for this project from the provider contract; idempotent (run on every start).
--
-- Provider contract (queries read once, at silo start-up, from OrleansQuery):
--   parameters      @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint, @GrainTypeHash int,
--                   @GrainTypeString text, @GrainIdExtensionString text (NULL for integer/guid keys),
--                   @ServiceId text, @GrainStateVersion int (NULL = never written), @PayloadBinary bytea
--   ReadFromStorageKey  -> columns PayloadBinary, Version (no row = no state)
--   WriteToStorageKey   -> column NewGrainStateVersion; NO row on a version conflict
--   ClearStorageKey     -> column NewGrainStateVersion; NO row on a version conflict
--   DeleteStorageKey    -> column NewGrainStateVersion (only with DeleteStateOnClear = true)
-- "No row" becomes an InconsistentStateException in the provider.
--
-- Hashes only narrow the index search; a grain is identified by its full key (ServiceId, GrainTypeString,
-- GrainIdN0, GrainIdN1, GrainIdExtensionString). NULL and '' extensions are different keys: the unique
-- index uses (COALESCE(ext, ''), ext IS NULL) so it works on PostgreSQL < 15 (no NULLS NOT DISTINCT).
-- Every parameter is cast explicitly: Npgsql sends NULLs untyped.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL,
    Version                integer     NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_GrainKey ON OrleansStorage
(
    GrainIdHash,
    GrainTypeHash,
    ServiceId,
    GrainTypeString,
    GrainIdN0,
    GrainIdN1,
    (COALESCE(GrainIdExtensionString, '')),
    (GrainIdExtensionString IS NULL)
);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey',
    'SELECT
        s.PayloadBinary AS "PayloadBinary",
        s.Version AS "Version"
    FROM OrleansStorage s
    WHERE s.GrainIdHash = CAST(@GrainIdHash AS integer)
        AND s.GrainTypeHash = CAST(@GrainTypeHash AS integer)
        AND s.ServiceId = CAST(@ServiceId AS text)
        AND s.GrainTypeString = CAST(@GrainTypeString AS text)
        AND s.GrainIdN0 = CAST(@GrainIdN0 AS bigint)
        AND s.GrainIdN1 = CAST(@GrainIdN1 AS bigint)
        AND COALESCE(s.GrainIdExtensionString, '''') = COALESCE(CAST(@GrainIdExtensionString AS text), '''')
        AND (s.GrainIdExtensionString IS NULL) = (CAST(@GrainIdExtensionString AS text) IS NULL);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- One statement, at most one of the two branches changes a row:
--   known version -> update only if the row still carries it (optimistic concurrency);
--   no version    -> insert version 1 only if the grain has no row yet (ON CONFLICT DO NOTHING).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey',
    'WITH updated AS
    (
        UPDATE OrleansStorage s
        SET PayloadBinary = CAST(@PayloadBinary AS bytea),
            ModifiedOn = now(),
            Version = s.Version + 1
        WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
            AND s.GrainIdHash = CAST(@GrainIdHash AS integer)
            AND s.GrainTypeHash = CAST(@GrainTypeHash AS integer)
            AND s.ServiceId = CAST(@ServiceId AS text)
            AND s.GrainTypeString = CAST(@GrainTypeString AS text)
            AND s.GrainIdN0 = CAST(@GrainIdN0 AS bigint)
            AND s.GrainIdN1 = CAST(@GrainIdN1 AS bigint)
            AND COALESCE(s.GrainIdExtensionString, '''') = COALESCE(CAST(@GrainIdExtensionString AS text), '''')
            AND (s.GrainIdExtensionString IS NULL) = (CAST(@GrainIdExtensionString AS text) IS NULL)
            AND s.Version = CAST(@GrainStateVersion AS integer)
        RETURNING s.Version
    ),
    inserted AS
    (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT
            CAST(@GrainIdHash AS integer), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint),
            CAST(@GrainTypeHash AS integer), CAST(@GrainTypeString AS text),
            CAST(@GrainIdExtensionString AS text), CAST(@ServiceId AS text), CAST(@PayloadBinary AS bytea), now(), 1
        WHERE CAST(@GrainStateVersion AS integer) IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version
    )
    SELECT Version AS "NewGrainStateVersion" FROM updated
    UNION ALL
    SELECT Version AS "NewGrainStateVersion" FROM inserted;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- Clearing keeps the row (version chain continues) and drops the payload.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ClearStorageKey',
    'WITH updated AS
    (
        UPDATE OrleansStorage s
        SET PayloadBinary = NULL,
            ModifiedOn = now(),
            Version = s.Version + 1
        WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
            AND s.GrainIdHash = CAST(@GrainIdHash AS integer)
            AND s.GrainTypeHash = CAST(@GrainTypeHash AS integer)
            AND s.ServiceId = CAST(@ServiceId AS text)
            AND s.GrainTypeString = CAST(@GrainTypeString AS text)
            AND s.GrainIdN0 = CAST(@GrainIdN0 AS bigint)
            AND s.GrainIdN1 = CAST(@GrainIdN1 AS bigint)
            AND COALESCE(s.GrainIdExtensionString, '''') = COALESCE(CAST(@GrainIdExtensionString AS text), '''')
            AND (s.GrainIdExtensionString IS NULL) = (CAST(@GrainIdExtensionString AS text) IS NULL)
            AND s.Version = CAST(@GrainStateVersion AS integer)
        RETURNING s.Version
    ),
    inserted AS
    (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT
            CAST(@GrainIdHash AS integer), CAST(@GrainIdN0 AS bigint), CAST(@GrainIdN1 AS bigint),
            CAST(@GrainTypeHash AS integer), CAST(@GrainTypeString AS text),
            CAST(@GrainIdExtensionString AS text), CAST(@ServiceId AS text), NULL, now(), 1
        WHERE CAST(@GrainStateVersion AS integer) IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version
    )
    SELECT Version AS "NewGrainStateVersion" FROM updated
    UNION ALL
    SELECT Version AS "NewGrainStateVersion" FROM inserted;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- Only used with AdoNetGrainStorageOptions.DeleteStateOnClear = true.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteStorageKey',
    'DELETE FROM OrleansStorage s
    WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
        AND s.GrainIdHash = CAST(@GrainIdHash AS integer)
        AND s.GrainTypeHash = CAST(@GrainTypeHash AS integer)
        AND s.ServiceId = CAST(@ServiceId AS text)
        AND s.GrainTypeString = CAST(@GrainTypeString AS text)
        AND s.GrainIdN0 = CAST(@GrainIdN0 AS bigint)
        AND s.GrainIdN1 = CAST(@GrainIdN1 AS bigint)
        AND COALESCE(s.GrainIdExtensionString, '''') = COALESCE(CAST(@GrainIdExtensionString AS text), '''')
        AND (s.GrainIdExtensionString IS NULL) = (CAST(@GrainIdExtensionString AS text) IS NULL)
        AND s.Version = CAST(@GrainStateVersion AS integer)
    RETURNING s.Version + 1 AS "NewGrainStateVersion";'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;
