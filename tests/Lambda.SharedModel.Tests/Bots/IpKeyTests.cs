using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lambda.SharedModel.Bots;

namespace Lambda.SharedModel.Tests.Bots;

public sealed class IpKeyTests
{
    [Theory]
    [InlineData("1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("0.0.0.0", "::ffff:0:0")]
    [InlineData("255.255.255.255", "::ffff:ffff:ffff")]
    [InlineData("::", "0:0:0:0:0:0:0:0")]
    [InlineData("::1", "0:0:0:0:0:0:0:1")]
    [InlineData("1::", "1:0:0:0:0:0:0:0")]
    [InlineData("2001:DB8::b07:1", "2001:db8:0:0:0:0:b07:1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("64:ff9b::192.0.2.33", "64:ff9b::c000:221")]
    public void equivalent_texts_give_the_same_key(string text, string same)
    {
        Assert.Equal(IpKey.Parse(same), IpKey.Parse(text));
        Assert.True(IpKey.TryParse(Encoding.ASCII.GetBytes(text), out var fromUtf8));
        Assert.Equal(IpKey.Parse(text), fromUtf8);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.")]
    [InlineData("1..3.4")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData("1:2")]
    [InlineData("1::2::3")]
    [InlineData("12345::")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData(":1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:")]
    [InlineData("g::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData("::1.2.3.4:5")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("localhost")]
    public void non_address_is_refused(string text)
    {
        Assert.False(IpKey.TryParse(Encoding.UTF8.GetBytes(text), out _));
        Assert.False(IpKey.TryParse(text.AsSpan(), out _));
    }

    [Fact]
    public void random_addresses_parse_like_the_bcl()
    {
        var random = new Random(20240501);
        var bytes = new byte[16];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(bytes);
            // Runs of zero groups exercise '::' compression.
            if (i % 3 == 0)
            {
                var start = random.Next(0, 8) * 2;
                bytes.AsSpan(start, Math.Min(random.Next(0, 4) * 2, 16 - start)).Clear();
            }

            var v6 = new IPAddress(bytes);
            Assert.Equal(BinaryPrimitives.ReadUInt128BigEndian(bytes), IpKey.Parse(v6.ToString()));
            Assert.Equal(v6.ToString(), IpKey.Format(IpKey.Parse(v6.ToString())));

            var v4 = new IPAddress(bytes.AsSpan(0, 4));
            var mapped = v4.MapToIPv6();
            Assert.Equal(AddressFamily.InterNetwork, v4.AddressFamily);
            Assert.Equal(BinaryPrimitives.ReadUInt128BigEndian(mapped.GetAddressBytes()), IpKey.Parse(v4.ToString()));
            Assert.Equal(v4.ToString(), IpKey.Format(IpKey.Parse(v4.ToString())));
        }
    }

    [Fact]
    public void ipv4_keys_are_in_the_mapped_block()
    {
        Assert.True(IpKey.IsIPv4(IpKey.Parse("10.0.0.1")));
        Assert.False(IpKey.IsIPv4(IpKey.Parse("2001:db8::1")));
        Assert.Equal(IpKey.IPv4MappedPrefix, IpKey.Parse("0.0.0.0"));
    }
}
