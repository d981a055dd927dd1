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

    public static void AddSiloConfig(this ConfigurationManager configuration, string environmentName, string[] args)
    {
        var dir = FindConfigDirectory();
        configuration.Sources.Clear();
        configuration.SetBasePath(dir);
        configuration.AddJsonFile("appsettings.json", optional: false, reloadOnChange: false);
        configuration.AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        configuration["Vpp:ConfigDirectory"] = dir;
    }
}
