using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Tests;

/// <summary>
/// The log event ids of the whole platform: each assembly keeps its ids in one registry (a static class
/// named <c>...LogEvents</c>), no id means two things anywhere, and every <see cref="LoggerMessageAttribute"/>
/// uses an id of its assembly's registry. The CLI references every production assembly, so they are all here.
/// </summary>
public sealed class LogEventIdTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
        | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly IReadOnlyList<Assembly> Platform = PlatformAssemblies();

    [Fact]
    public void every_assembly_that_logs_with_event_ids_has_one_registry()
    {
        Assert.Contains(Platform, a => a.GetName().Name == "Lambda.Speed" && LoggerMessages(a).Any());
        Assert.All(Platform.Where(a => LoggerMessages(a).Any()), a => Assert.Single(Registries(a)));
        Assert.Equal(["BatchLogEvents", "CliLogEvents", "JobsLogEvents", "SpeedLogEvents"],
            Platform.SelectMany(Registries).Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void no_event_id_is_registered_twice_across_the_platform()
    {
        var shared = Platform.SelectMany(Registries).SelectMany(Ids)
            .GroupBy(id => id.Value)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(id => id.Name))}");
        Assert.Empty(shared);
    }

    [Fact]
    public void every_logger_message_uses_an_id_of_its_assemblys_registry()
    {
        var unregistered = Platform.SelectMany(a =>
        {
            var registered = Registries(a).SelectMany(Ids).Select(id => id.Value).ToHashSet();
            return LoggerMessages(a)
                .Where(m => !registered.Contains(m.Attribute.EventId))
                .Select(m => $"{m.Method.DeclaringType}.{m.Method.Name}: {m.Attribute.EventId}");
        });
        Assert.Empty(unregistered);
    }

    // The CLI (assembly "lambda") and every Lambda.* assembly it reaches through references.
    private static List<Assembly> PlatformAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(CliLogEvents).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (name.Name!.StartsWith("Lambda.", StringComparison.Ordinal) && !found.ContainsKey(name.Name))
                {
                    pending.Push(Assembly.Load(name));
                }
            }
        }

        return [.. found.Values];
    }

    private static IEnumerable<Type> Registries(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("LogEvents", StringComparison.Ordinal));

    private static IEnumerable<(string Name, int Value)> Ids(Type registry) =>
        registry.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => ($"{registry.Name}.{f.Name}", (int)f.GetRawConstantValue()!));

    private static IEnumerable<(MethodInfo Method, LoggerMessageAttribute Attribute)> LoggerMessages(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(Declared)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (method, attribute);
}
