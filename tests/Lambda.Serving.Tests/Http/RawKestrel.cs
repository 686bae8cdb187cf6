using System.Net.Sockets;
using System.Text;
using Lambda.Serving.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// A seeded <see cref="ServingWorld"/> behind a real Kestrel (<see cref="ServingHost.CreateApp"/>) on a
/// free loopback port, and requests written byte for byte to it: no client normalizes the target or
/// chooses the headers first.
/// </summary>
internal sealed class RawKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _port;

    private RawKestrel(ServingWorld world, WebApplication app, int port)
    {
        World = world;
        _app = app;
        _port = port;
    }

    public ServingWorld World { get; }

    public static async Task<RawKestrel> StartAsync(ServingOptions? options = null)
    {
        var world = await ServingWorld.CreateAsync();
        var app = ServingHost.CreateApp(["http://127.0.0.1:0"], options ?? ServingFactory.TestOptions(), world.Store, world.Keys, world.Log);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawKestrel(world, app, new Uri(address).Port);
    }

    /// <summary>
    /// Sends <paramref name="target"/> as the request line's target, unchanged, with a bearer
    /// <paramref name="key"/> if given and the extra header lines; returns (status, whole response).
    /// </summary>
    public async Task<(int Status, string Response)> SendAsync(string method, string target, string? key, string host = "localhost",
        params string[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _port);
        var stream = tcp.GetStream();
        var request = new StringBuilder($"{method} {target} HTTP/1.0\r\nHost: {host}\r\n");
        if (key is not null)
        {
            request.Append("Authorization: Bearer ").Append(key).Append("\r\n");
        }
        foreach (var header in headers)
        {
            request.Append(header).Append("\r\n");
        }
        request.Append(method == "POST" ? "Content-Length: 2\r\n\r\n[]" : "\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }

    /// <summary>The header lines of a response (before the blank line), with the status line.</summary>
    public static string[] HeaderLines(string response) =>
        response[..response.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await World.DisposeAsync();
    }
}
