using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Hosting;

public sealed class MessagingConfigurationTests
{
    [Fact]
    public async Task Orleans_messaging_keys_set_the_silos_grain_call_response_timeout()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string> { ["Orleans:Messaging:ResponseTimeout"] = "00:02:00" });

        var messaging = silo.Factory.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(2), messaging.ResponseTimeout);
    }
}
