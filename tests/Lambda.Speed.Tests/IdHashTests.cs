using System.Text;
using Lambda.SharedModel.Events;
using Lambda.Speed.State;

namespace Lambda.Speed.Tests;

public class IdHashTests
{
    [Fact]
    public void short_event_ids_of_different_kinds_do_not_collide()
    {
        var keys = new HashSet<ulong>();
        foreach (var kind in new[] { EventKind.Served, EventKind.View, EventKind.Click })
        {
            for (var i = 0; i < 5000; i++)
            {
                Assert.True(keys.Add(IdHash.EventKey(kind, Encoding.UTF8.GetBytes($"e-{i}"))), $"{kind} e-{i} collides");
            }
        }
    }
}
