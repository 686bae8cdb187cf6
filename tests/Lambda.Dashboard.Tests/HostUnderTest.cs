using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Dashboard.Tests;

/// <summary>What the hosts under test share: their address, and their teardown with their SQLite directory.</summary>
internal static class HostUnderTest
{
    /// <summary>http://127.0.0.1:port of a started host that listened on port 0.</summary>
    public static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

    /// <summary>
    /// Stops the host, disposes <paramref name="owned"/> in order, then deletes <paramref name="directory"/>
    /// (pooled SQLite connections cleared first: they would hold the files open).
    /// </summary>
    public static async Task StopAsync(WebApplication app, string directory, params IAsyncDisposable[] owned)
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var item in owned)
        {
            await item.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
