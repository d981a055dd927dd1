-- Cluster membership for the Orleans ADO.NET provider (Microsoft.Orleans.Clustering.AdoNet) on PostgreSQL
-- (Invariant "Npgsql"). Written for this project from the provider contract; idempotent.
--
-- Parameters: @DeploymentId (= ClusterId), @Address, @Port, @Generation, @SiloName, @HostName, @Status
-- (SiloStatus: 0 None, 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead), @ProxyPort,
-- @SuspectTimes, @StartTime, @IAmAliveTime, @Version (expected table version).
-- Read queries return one row per silo joined to the version row (a single row with NULL silo columns when
-- the cluster has no silo yet): Version, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
-- SuspectTimes, StartTime, IAmAliveTime. Insert/update queries return one boolean column (true = applied).
-- Every change to a silo row bumps the table version in the same statement (optimistic concurrency).

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)  NOT NULL,
    Address      varchar(45)   NOT NULL,
    Port         integer       NOT NULL,
    Generation   integer       NOT NULL,
    SiloName     varchar(150)  NOT NULL,
    HostName     varchar(150)  NOT NULL,
    Status       integer       NOT NULL,
    ProxyPort    integer       NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime    timestamptz   NOT NULL,
    IAmAliveTime timestamptz   NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipVersionKey',
    'WITH inserted AS
    (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (CAST(@DeploymentId AS varchar))
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT COUNT(*) > 0 FROM inserted;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- The version row is bumped first (row lock: concurrent writers queue); the silo row is inserted only if
-- the expected version matched.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipKey',
    'WITH bumped AS
    (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = CAST(@DeploymentId AS varchar)
            AND Version = CAST(@Version AS integer)
        RETURNING DeploymentId
    ),
    inserted AS
    (
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT
            b.DeploymentId, CAST(@Address AS varchar), CAST(@Port AS integer), CAST(@Generation AS integer),
            CAST(@SiloName AS varchar), CAST(@HostName AS varchar), CAST(@Status AS integer), CAST(@ProxyPort AS integer),
            CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz)
        FROM bumped b
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT COUNT(*) > 0 FROM inserted;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpdateMembershipKey',
    'WITH bumped AS
    (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = CAST(@DeploymentId AS varchar)
            AND Version = CAST(@Version AS integer)
        RETURNING DeploymentId
    ),
    updated AS
    (
        UPDATE OrleansMembershipTable m
        SET Status = CAST(@Status AS integer),
            SuspectTimes = CAST(@SuspectTimes AS varchar),
            IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
        FROM bumped b
        WHERE m.DeploymentId = b.DeploymentId
            AND m.Address = CAST(@Address AS varchar)
            AND m.Port = CAST(@Port AS integer)
            AND m.Generation = CAST(@Generation AS integer)
        RETURNING 1
    )
    SELECT COUNT(*) > 0 FROM updated;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- Heartbeat: not versioned.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpdateIAmAlivetimeKey',
    'UPDATE OrleansMembershipTable
    SET IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
    WHERE DeploymentId = CAST(@DeploymentId AS varchar)
        AND Address = CAST(@Address AS varchar)
        AND Port = CAST(@Port AS integer)
        AND Generation = CAST(@Generation AS integer);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'MembershipReadRowKey',
    'SELECT
        v.DeploymentId AS "DeploymentId",
        m.Address AS "Address",
        m.Port AS "Port",
        m.Generation AS "Generation",
        m.SiloName AS "SiloName",
        m.HostName AS "HostName",
        m.Status AS "Status",
        m.ProxyPort AS "ProxyPort",
        m.SuspectTimes AS "SuspectTimes",
        m.StartTime AS "StartTime",
        m.IAmAliveTime AS "IAmAliveTime",
        v.Version AS "Version"
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId
        AND m.Address = CAST(@Address AS varchar)
        AND m.Port = CAST(@Port AS integer)
        AND m.Generation = CAST(@Generation AS integer)
    WHERE v.DeploymentId = CAST(@DeploymentId AS varchar);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'MembershipReadAllKey',
    'SELECT
        v.DeploymentId AS "DeploymentId",
        m.Address AS "Address",
        m.Port AS "Port",
        m.Generation AS "Generation",
        m.SiloName AS "SiloName",
        m.HostName AS "HostName",
        m.Status AS "Status",
        m.ProxyPort AS "ProxyPort",
        m.SuspectTimes AS "SuspectTimes",
        m.StartTime AS "StartTime",
        m.IAmAliveTime AS "IAmAliveTime",
        v.Version AS "Version"
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = CAST(@DeploymentId AS varchar);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- @Status is SiloStatus.Active as passed by the provider.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'GatewaysQueryKey',
    'SELECT
        Address AS "Address",
        ProxyPort AS "ProxyPort",
        Generation AS "Generation"
    FROM OrleansMembershipTable
    WHERE DeploymentId = CAST(@DeploymentId AS varchar)
        AND Status = CAST(@Status AS integer)
        AND ProxyPort > 0;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'DeleteMembershipTableEntriesKey',
    'WITH silos AS
    (
        DELETE FROM OrleansMembershipTable
        WHERE DeploymentId = CAST(@DeploymentId AS varchar)
    )
    DELETE FROM OrleansMembershipVersionTable
    WHERE DeploymentId = CAST(@DeploymentId AS varchar);'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;

-- Removes silos that are not active and have not reported since @IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = CAST(@DeploymentId AS varchar)
        AND IAmAliveTime < CAST(@IAmAliveTime AS timestamptz)
        AND Status <> 3;'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText;
