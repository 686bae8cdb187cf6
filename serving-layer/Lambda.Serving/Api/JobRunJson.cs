using System.Text.Json;
using Lambda.SharedModel.Jobs;

namespace Lambda.Serving.Api;

/// <summary>A job's latest run as one element of the <c>jobs</c> array of <c>GET /v1/status</c> (snake_case).</summary>
public static class JobRunJson
{
    public static JsonElement From(JobRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("job", run.JobName);
            json.WriteString("outcome", run.Outcome);
            json.WriteString("trigger", run.Trigger);
            json.WriteString("instance", run.Instance);
            json.WriteString("started_at", run.StartedAt.UtcDateTime);
            if (run.EndedAt is { } ended)
            {
                json.WriteString("ended_at", ended.UtcDateTime);
                json.WriteNumber("duration_ms", (long)run.Duration!.Value.TotalMilliseconds);
            }
            else
            {
                json.WriteNull("ended_at");
                json.WriteNull("duration_ms");
            }

            json.WriteNumber("rows", run.Rows);
            json.WriteNumber("attempts", run.Attempts);
            json.WriteString("error", run.Error);
            json.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }
}
