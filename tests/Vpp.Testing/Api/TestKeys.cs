using System.Security.Cryptography;
using System.Text;

namespace Vpp.Testing.Api;

/// <summary>The API keys the shared test silo accepts: one per role, one with every role, one rate limited, one given by hash.</summary>
public static class TestKeys
{
    public const string Everything = "test-key-every-role-00001";
    public const string Reader = "test-key-read-only-000001";
    public const string Dispatcher = "test-key-dispatch-only-01";
    public const string Gateway = "test-key-telemetry-only-1";
    public const string Provisioner = "test-key-admin-only-00001";

    /// <summary>Read role, three requests per hour: the fourth is refused.</summary>
    public const string Limited = "test-key-rate-limited-001";
    public const int LimitedPermits = 3;

    /// <summary>Every role, but only for <see cref="ScopedFleets"/> (Auth:ApiKeys[].Fleets).</summary>
    public const string Scoped = "test-key-fleet-scoped-001";

    /// <summary>The fleets <see cref="Scoped"/> may use; tests create them under these ids.</summary>
    public static readonly string[] ScopedFleets = ["scoped-fleet-a", "scoped-fleet-b"];

    /// <summary>Keys of two traders (Auth:Traders), read, dispatch and admin roles: each sees only its own virtual batteries.</summary>
    public const string TraderA = "test-key-trader-a-000001";
    public const string TraderB = "test-key-trader-b-000001";

    /// <summary>The trader ids <see cref="TraderA"/> and <see cref="TraderB"/> belong to.</summary>
    public const string TraderAId = "trader-a", TraderBId = "trader-b";

    /// <summary>Configured only as its SHA-256 hash; read role.</summary>
    public const string Hashed = "test-key-given-by-hash-01";

    /// <summary>The single-role keys by the role they hold.</summary>
    public static IReadOnlyDictionary<string, string> ByRole { get; } = new Dictionary<string, string>
    {
        ["read"] = Reader,
        ["dispatch"] = Dispatcher,
        ["telemetry"] = Gateway,
        ["admin"] = Provisioner,
    };

    public static IEnumerable<string> AllSecrets => [Everything, Reader, Dispatcher, Gateway, Provisioner, Limited, Hashed, Scoped, TraderA, TraderB];

    public static string HashOf(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            // The API tests send many requests from one key: only the "limited" key is meant to hit a limit.
            ["Api:RateLimit:PermitLimit"] = "100000",
            ["Api:RateLimit:Window"] = "00:00:01",
            ["Api:SignInRateLimit:PermitLimit"] = "100000",
        };
        var entries = new (string Name, string Secret, string[] Roles)[]
        {
            ("everything", Everything, ["read", "dispatch", "telemetry", "admin"]),
            ("reader", Reader, ["read"]),
            ("dispatcher", Dispatcher, ["dispatch"]),
            ("gateway", Gateway, ["telemetry"]),
            ("provisioner", Provisioner, ["admin"]),
            ("limited", Limited, ["read"]),
            ("scoped", Scoped, ["read", "dispatch", "telemetry", "admin"]),
            ("trader-a", TraderA, ["read", "dispatch", "admin"]),
            ("trader-b", TraderB, ["read", "dispatch", "admin"]),
        };
        settings["Auth:Traders:0:Id"] = TraderAId;
        settings["Auth:Traders:0:Name"] = "Trader A";
        settings["Auth:Traders:1:Id"] = TraderBId;
        settings["Auth:Traders:1:Name"] = "Trader B";
        var i = 0;
        foreach (var (name, secret, roles) in entries)
        {
            settings[$"Auth:ApiKeys:{i}:Name"] = name;
            settings[$"Auth:ApiKeys:{i}:Key"] = secret;
            for (var r = 0; r < roles.Length; r++)
            {
                settings[$"Auth:ApiKeys:{i}:Roles:{r}"] = roles[r];
            }

            if (secret == Limited)
            {
                settings[$"Auth:ApiKeys:{i}:RateLimit:PermitLimit"] = LimitedPermits.ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings[$"Auth:ApiKeys:{i}:RateLimit:Window"] = "01:00:00";
            }

            if (secret is TraderA or TraderB)
            {
                settings[$"Auth:ApiKeys:{i}:Trader"] = secret == TraderA ? TraderAId : TraderBId;
            }

            if (secret == Scoped)
            {
                for (var f = 0; f < ScopedFleets.Length; f++)
                {
                    settings[$"Auth:ApiKeys:{i}:Fleets:{f}"] = ScopedFleets[f];
                }
            }

            i++;
        }

        settings[$"Auth:ApiKeys:{i}:Name"] = "hashed";
        settings[$"Auth:ApiKeys:{i}:KeyHash"] = HashOf(Hashed).ToLowerInvariant();
        settings[$"Auth:ApiKeys:{i}:Roles:0"] = "read";
        return settings;
    }
}
