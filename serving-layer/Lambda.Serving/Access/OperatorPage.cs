using Microsoft.AspNetCore.Builder;

namespace Lambda.Serving.Access;

/// <summary>
/// A page for operators under <paramref name="Path"/> (e.g. the scheduler's dashboard at /jobs), served
/// by <paramref name="Configure"/> behind <see cref="OperatorGate"/>: admin API keys only. It brings its
/// own <paramref name="ContentSecurityPolicy"/>, because a third-party page may need more than the
/// advertisers' dashboard allows (inline styles, for one).
/// </summary>
public sealed record OperatorPage(string Path, string ContentSecurityPolicy, Action<IApplicationBuilder> Configure);
