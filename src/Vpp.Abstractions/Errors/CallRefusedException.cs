namespace Vpp.Abstractions.Errors;

/// <summary>
/// An external client (a caller through a silo gateway) called a grain method that only the silos may call, such as
/// an asset's setpoint or a fleet partition. Clients use the operations of the SDK; everything else is refused.
/// </summary>
[GenerateSerializer]
public sealed class CallRefusedException(string interfaceName, string methodName)
    : Exception($"{interfaceName}.{methodName} is internal to the VPP cluster and cannot be called by a client")
{
    [Id(0)]
    public string InterfaceName { get; private set; } = interfaceName;

    [Id(1)]
    public string MethodName { get; private set; } = methodName;
}
