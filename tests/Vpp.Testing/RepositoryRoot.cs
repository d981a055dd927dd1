namespace Vpp.Testing;

/// <summary>The repository the tests run from: the first folder above the test binaries holding Vpp.Orleans.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> LazyPath = new(Find);

    public static string Path => LazyPath.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Vpp.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Vpp.Orleans.sln not found above '{AppContext.BaseDirectory}'.");
    }
}
