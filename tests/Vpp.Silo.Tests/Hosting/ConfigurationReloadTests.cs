using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Hosting;

public sealed class ConfigurationReloadTests
{
    [Fact]
    public async Task The_silo_watches_no_configuration_file_so_its_own_database_writes_wake_no_file_watcher()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string>());

        var configuration = (IConfigurationRoot)silo.Factory.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.Contains(files, file => file.Source.Path == "appsettings.json"); // silo-config's, and the content root's
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
    }
}
