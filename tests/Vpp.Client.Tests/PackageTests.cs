using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Vpp.Client.Tests;

/// <summary>
/// `dotnet pack` gives a trading system packages it can use: Vpp.Client with the two libraries its public surface
/// exposes (Vpp.Abstractions, Vpp.Domain) as packages of their own, and a program outside this repository builds
/// against them from a package folder alone.
/// </summary>
public sealed class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    // A version no earlier run used, so NuGet's package cache cannot hand back an older build of these packages.
    private readonly string _version = $"0.0.1-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid():N}"[..48];
    private readonly string _work = Directory.CreateTempSubdirectory("vpp-pack-").FullName;

    [Fact]
    public async Task The_sdk_packs_with_its_dependencies_as_packages_and_a_program_builds_against_them()
    {
        var feed = Path.Combine(_work, "feed");
        foreach (var project in new[] { "Vpp.Domain", "Vpp.Abstractions", "Vpp.Client" })
        {
            await RunDotnetAsync(RepositoryRoot.Path, "pack", $"src/{project}/{project}.csproj", "--no-build", "-c", Configuration,
                "-o", feed, $"-p:Version={_version}");
        }

        var client = Nuspec(feed, "Vpp.Client");
        Assert.Contains(("Vpp.Abstractions", _version), Dependencies(client));
        Assert.Contains(("Microsoft.Orleans.Client", "10.4.2"), Dependencies(client));
        Assert.Contains(("Vpp.Domain", _version), Dependencies(Nuspec(feed, "Vpp.Abstractions")));
        Assert.Contains("lib/net10.0/Vpp.Client.xml", Entries(feed, "Vpp.Client")); // the XML docs ship

        var consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestoreAdditionalProjectSources>{feed}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Vpp.Client" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), """
            using Vpp.Client;
            using Vpp.Domain.Dispatch;

            var options = new VppClientOptions { Gateways = ["127.0.0.1:30000"] };
            Console.WriteLine($"{options.Validate().Count} {DispatchStrategy.MeritOrder}");
            Func<VppClient, Task> dispatch = vpp => vpp.DispatchAsync("fleet-a", 100, DispatchStrategy.ProRata);
            """);

        await RunDotnetAsync(consumer, "build", "-c", "Release");
        var output = await RunDotnetAsync(consumer, "run", "-c", "Release", "--no-build");
        Assert.Contains("0 MeritOrder", output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static XDocument Nuspec(string feed, string id)
    {
        using var package = ZipFile.OpenRead(Directory.GetFiles(feed, $"{id}.*.nupkg").Single());
        using var nuspec = package.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(nuspec);
    }

    private static List<string> Entries(string feed, string id)
    {
        using var package = ZipFile.OpenRead(Directory.GetFiles(feed, $"{id}.*.nupkg").Single());
        return package.Entries.Select(e => e.FullName).ToList();
    }

    private static List<(string Id, string Version)> Dependencies(XDocument nuspec) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!)).ToList();

    private static async Task<string> RunDotnetAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's MSBuild settings must not leak into the child build.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"dotnet {string.Join(' ', args)} did not finish within 5 minutes");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{output}");
        return output;
    }
}
