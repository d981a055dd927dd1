using Vpp.Domain.Assets;

namespace Vpp.Domain.Tests.Assets;

public sealed class WireNamesTests
{
    [Theory]
    [InlineData("battery", AssetKind.Battery)]
    [InlineData("solar", AssetKind.Solar)]
    [InlineData("wind", AssetKind.Wind)]
    [InlineData("flexibleLoad", AssetKind.FlexibleLoad)]
    [InlineData("chp", AssetKind.Chp)]
    public void Asset_kinds_round_trip_through_their_camel_case_wire_names(string wire, AssetKind kind)
    {
        Assert.Equal(kind, WireNames.ParseKind(wire));
        Assert.Equal(wire, kind.ToWire());
    }

    [Theory]
    [InlineData("online", AssetStatus.Online)]
    [InlineData("offline", AssetStatus.Offline)]
    [InlineData("maintenance", AssetStatus.Maintenance)]
    public void Statuses_round_trip_through_their_wire_names(string wire, AssetStatus status)
    {
        Assert.Equal(status, WireNames.ParseStatus(wire));
        Assert.Equal(wire, status.ToWire());
    }

    [Theory]
    [InlineData("Battery")]
    [InlineData("flexible_load")]
    [InlineData("CHP")]
    [InlineData(" solar")]
    [InlineData("")]
    [InlineData(null)]
    public void Kind_names_are_parsed_strictly(string? wire)
    {
        Assert.Null(WireNames.ParseKind(wire));
    }

    [Theory]
    [InlineData("Online")]
    [InlineData("down")]
    [InlineData(null)]
    public void Status_names_are_parsed_strictly(string? wire)
    {
        Assert.Null(WireNames.ParseStatus(wire));
    }

    [Fact]
    public void One_of_lists_every_allowed_name_quoted()
    {
        Assert.Equal("must be one of: \"online\", \"offline\", \"maintenance\"", WireNames.OneOf(WireNames.Statuses));
    }
}
