using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;

namespace Vpp.Silo.Hosting;

/// <summary>Where configuration comes from: the repository's silo-config/ folder, then environment, then command line.</summary>
public static class SiloConfiguration
{
    public const string ConfigDirVariable = "VPP_CONFIG_DIR";

    /// <summary>
    /// Finds silo-config/: $VPP_CONFIG_DIR, else the copy next to the binaries (dotnet run, docker), else the
    /// working directory's silo-config/.
    /// </summary>
    public static string FindConfigDirectory()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable(ConfigDirVariable),
            Path.Combine(AppContext.BaseDirectory, "silo-config"),
            Path.Combine(Directory.GetCurrentDirectory(), "silo-config"),
        };
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate) && File.Exists(Path.Combine(candidate, "appsettings.json")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new InvalidOperationException(
            $"silo-config/appsettings.json not found (looked in: {string.Join(", ", candidates.Where(c => c is not null))}); set {ConfigDirVariable}");
    }

    /// <summary>Short flags a person types, rewritten to configuration keys: "--demo" → "--Demo:Enabled=true".</summary>
    public static string[] ExpandFlags(string[] args) =>
        [.. args.Select(a => a switch
        {
            "--demo" => "--Demo:Enabled=true",
            "--in-memory" => "--Storage:Provider=Memory",
            _ => a,
        })];

    /// <summary>
    /// Puts silo-config/appsettings.json and appsettings.{environment}.json underneath the host's own sources,
    /// so environment variables (Section__Key, ASPNETCORE_URLS), the command line and test hosts override them.
    /// </summary>
    public static void AddSiloConfig(this ConfigurationManager configuration, string environmentName)
    {
        var dir = FindConfigDirectory();
        var files = new PhysicalFileProvider(dir);
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new KeyValuePair<string, string?>("Vpp:ConfigDirectory", dir)],
        });
        configuration.Sources.Insert(1, new JsonConfigurationSource { FileProvider = files, Path = "appsettings.json", Optional = false });
        configuration.Sources.Insert(2, new JsonConfigurationSource { FileProvider = files, Path = $"appsettings.{environmentName}.json", Optional = true });
    }
}
