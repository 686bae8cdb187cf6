using System.Globalization;
using System.Text;
using Lambda.SharedModel.Time;

namespace Lambda.SharedModel.Tests.Time;

public sealed class IsoTimestampTests
{
    [Theory]
    [InlineData("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000Z")]
    [InlineData("2024-05-01T12:00:00.5Z", "2024-05-01T12:00:00.500Z")]
    [InlineData("2024-05-01T12:00:00.123456789Z", "2024-05-01T12:00:00.123Z")]
    [InlineData("2024-05-01T12:00:00,25Z", "2024-05-01T12:00:00.250Z")]
    [InlineData("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00.000Z")]
    [InlineData("2024-05-01T06:30:00-0530", "2024-05-01T12:00:00.000Z")]
    [InlineData("2024-05-01T14:00:00+02", "2024-05-01T12:00:00.000Z")]
    [InlineData("2024-05-01 12:00Z", "2024-05-01T12:00:00.000Z")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z")]
    [InlineData("2000-01-01T00:30:00+01:00", "1999-12-31T23:30:00.000Z")]
    [InlineData("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z")]
    public void accepted_timestamp_parses_to_the_same_instant_as_the_bcl(string text, string utc)
    {
        Assert.True(IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var ms));

        var expected = DateTimeOffset.ParseExact(utc, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal(expected.ToUnixTimeMilliseconds(), ms);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00")]
    [InlineData("2024-05-01")]
    [InlineData("2024-5-1T12:00:00Z")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-05-01T12:60:00Z")]
    [InlineData("2024-05-01T12:00:60Z")]
    [InlineData("2024-05-01T12:00:00.Z")]
    [InlineData("2024-05-01T12:00:00+2:00")]
    [InlineData("2024-05-01T12:00:00+02:0")]
    [InlineData("2024-05-01T12:00:00Z ")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("２０２４-05-01T12:00:00Z")]
    public void malformed_timestamp_is_refused(string text)
    {
        Assert.False(IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void format_writes_utc_with_millis_only_when_present()
    {
        Assert.Equal("2024-05-01T12:00:00Z", IsoTimestamp.Format(1714564800000));
        Assert.Equal("2024-05-01T12:00:00.007Z", IsoTimestamp.Format(1714564800007));
    }
}
