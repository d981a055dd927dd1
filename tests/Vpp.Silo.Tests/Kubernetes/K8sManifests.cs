using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Vpp.Silo.Tests.Kubernetes;

/// <summary>The YAML documents of deploy/k8s (every *.yaml but the kustomization), as plain trees.</summary>
public sealed class K8sManifests
{
    private K8sManifests(IReadOnlyList<Dictionary<object, object>> documents) => Documents = documents;

    public IReadOnlyList<Dictionary<object, object>> Documents { get; }


    public static K8sManifests Load()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "deploy", "k8s");
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<Dictionary<object, object>>();
        foreach (var file in Directory.GetFiles(folder, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order())
        {
            var parser = new Parser(new StringReader(File.ReadAllText(file)));
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                if (deserializer.Deserialize<Dictionary<object, object>?>(parser) is { } document)
                {
                    documents.Add(document);
                }
            }
        }

        return new K8sManifests(documents);
    }

    public Dictionary<object, object> Single(string kind) => Assert.Single(All(kind));

    public IEnumerable<Dictionary<object, object>> All(string kind) => Documents.Where(d => Text(d, "kind") == kind);

    public static Dictionary<object, object> Map(object? node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current is Dictionary<object, object> map && map.TryGetValue(part, out var next)
                ? next
                : throw new Xunit.Sdk.XunitException($"'{path}' is missing (at '{part}')");
        }

        return Assert.IsType<Dictionary<object, object>>(current);
    }

    public static List<object> List(object node, string key) =>
        Assert.IsType<List<object>>(Assert.IsType<Dictionary<object, object>>(node)[key]);

    public static string Text(object node, string key) =>
        Assert.IsType<Dictionary<object, object>>(node).TryGetValue(key, out var value) && value is string s
            ? s
            : throw new Xunit.Sdk.XunitException($"'{key}' is missing or not a scalar");

    public static string? TextOrNull(object node, string key) =>
        Assert.IsType<Dictionary<object, object>>(node).TryGetValue(key, out var value) ? value as string : null;

    public static IEnumerable<Dictionary<object, object>> Maps(object node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is List<object> list
            ? list.Cast<Dictionary<object, object>>()
            : [];

    public static Dictionary<string, string> Labels(Dictionary<object, object> map) =>
        map.ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value);
}
