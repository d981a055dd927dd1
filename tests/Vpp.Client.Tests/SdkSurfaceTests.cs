using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Vpp.Abstractions.Assets;

namespace Vpp.Client.Tests;

/// <summary>
/// The packable Vpp.Abstractions carries only what the SDK (Vpp.Client) calls: every grain interface in it is one the
/// SDK uses, and every method on those interfaces is one the SDK calls or implements (or one listed in
/// <see cref="CalledByGatewaysNotBySdk"/>). Silo-internal interfaces and messages live in Vpp.Grains.Contracts, which
/// the SDK does not reference.
/// </summary>
public sealed class SdkSurfaceTests
{
    /// <summary>
    /// Methods on the SDK's interfaces that the SDK does not call but a gateway or trading system calls over its own
    /// Orleans client, each with the reason it stays in the SDK package. Such a method must also be open to clients in
    /// the silo's <c>ClientCallFilter</c>, which refuses every other method from a client; none is today: every
    /// method only grains or the silo's HTTP API call lives on an interface in Vpp.Grains.Contracts.
    /// </summary>
    private static readonly Dictionary<string, string> CalledByGatewaysNotBySdk = new(StringComparer.Ordinal);

    private static readonly Type[] GrainInterfaces =
    [
        .. typeof(IAssetGrain).Assembly.GetExportedTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal),
    ];

    [Fact]
    public void Every_grain_interface_of_the_sdk_package_is_one_the_sdk_uses()
    {
        var referenced = SdkReferences().Types;
        Assert.NotEmpty(GrainInterfaces);
        Assert.Equal([], GrainInterfaces.Select(t => t.FullName!).Where(name => !referenced.Contains(name)).ToArray());
    }

    [Fact]
    public void Every_method_of_the_sdk_grain_interfaces_is_one_the_sdk_calls_or_implements()
    {
        var called = SdkReferences().Methods;
        var implemented = typeof(VppClient).Assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(GrainInterfaces.Contains)
            .SelectMany(i => i.GetMethods().Select(m => $"{i.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var unused = GrainInterfaces
            .SelectMany(i => i.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => $"{i.Name}.{m.Name}"))
            .Where(name => !called.Contains(name) && !implemented.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal([], unused.Where(name => !CalledByGatewaysNotBySdk.ContainsKey(name)).ToArray());
        Assert.Equal([], CalledByGatewaysNotBySdk.Keys.Where(name => !unused.Contains(name)).ToArray());
        Assert.Equal([], CalledByGatewaysNotBySdk.Where(entry => string.IsNullOrWhiteSpace(entry.Value)).Select(entry => entry.Key).ToArray());
    }

    /// <summary>The types Vpp.Client.dll refers to (full names) and the methods it calls on them ("IType.Method").</summary>
    private static (HashSet<string> Types, HashSet<string> Methods) SdkReferences()
    {
        using var stream = File.OpenRead(typeof(VppClient).Assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            types.Add($"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}");
        }

        var methods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                var parent = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
                methods.Add($"{metadata.GetString(parent.Name)}.{metadata.GetString(member.Name)}");
            }
        }

        return (types, methods);
    }
}
