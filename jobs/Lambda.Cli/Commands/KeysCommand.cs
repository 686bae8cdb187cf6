using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Access;

namespace Lambda.Cli.Commands;

/// <summary>`lambda keys create|list|revoke`: API keys of the serving layer, stored hashed beside the views.</summary>
internal static class KeysCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("keys", "Manage API keys: create (prints the key once), list, revoke.");
        command.Subcommands.Add(CreateKey(platform));
        command.Subcommands.Add(List(platform));
        command.Subcommands.Add(Revoke(platform));
        return command;
    }

    private static Command CreateKey(PlatformOptions platform)
    {
        var advertiser = new Option<string?>("--advertiser") { Description = "The advertiser whose campaigns the key sees." };
        var admin = new Option<bool>("--admin") { Description = "A key that sees every campaign and may post events." };
        var command = new Command("create", "Create a key and print it (only its hash is stored: it cannot be shown again).") { advertiser, admin };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var advertiserId = parsed.GetValue(advertiser);
            var isAdmin = parsed.GetValue(admin);
            if (isAdmin == !string.IsNullOrWhiteSpace(advertiserId))
            {
                throw new UsageException("give exactly one of --advertiser ID or --admin");
            }
            await using var keys = await platform.OpenApiKeyStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var key = ApiKeys.NewKey();
            var record = ApiKeys.NewRecord(key, isAdmin ? null : advertiserId, TimeProvider.System.GetUtcNow());
            await keys.CreateAsync(record, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync(key).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Error.WriteLineAsync(
                $"created {record.KeyId} for {(isAdmin ? "admin" : "advertiser " + advertiserId)}; the key above is shown only once").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(PlatformOptions platform)
    {
        var command = new Command("list", "List keys (ids and rights, never the keys).");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var keys = await platform.OpenApiKeyStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{"key_id",-16} {"rights",-30} {"created",-20} revoked").ConfigureAwait(false);
            foreach (var k in await keys.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                var rights = k.IsAdmin ? "admin" : "advertiser " + k.AdvertiserId;
                await output.WriteLineAsync(
                    $"{k.KeyId,-16} {rights,-30} {k.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {(k.RevokedAt is { } r ? r.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "-")}")
                    .ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(PlatformOptions platform)
    {
        var id = new Argument<string>("key-id") { Description = "The key's id, as `lambda keys list` shows it (k_...)." };
        var command = new Command("revoke", "Revoke a key: it stops working within the serving cache's few seconds.") { id };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var keys = await platform.OpenApiKeyStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var keyId = parsed.GetValue(id)!;
            if (!await keys.RevokeAsync(keyId, TimeProvider.System.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync($"error: no active key {keyId}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            await parsed.InvocationConfiguration.Output.WriteLineAsync($"revoked {keyId}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
