using PeatMesh.Internal;

namespace PeatMesh.Tests.Internal;

public class EventHandlersTests
{
    [Fact]
    public void Raise_HandlerThrows_OthersStillRunAndErrorIsReported()
    {
        var calls = new List<string>();
        var errors = new List<Exception>();
        Action<int> handler = i => calls.Add("first " + i);
        handler += _ => throw new InvalidOperationException("boom");
        handler += i => calls.Add("third " + i);

        EventHandlers.Raise(handler, 7, errors.Add);

        Assert.Equal(["first 7", "third 7"], calls);
        Assert.Equal("boom", Assert.Single(errors).Message);
    }

    [Fact]
    public void Raise_TwoArguments_NoHandlers_DoesNothing()
    {
        var errors = new List<Exception>();
        EventHandlers.Raise<int, string>(null, 1, "x", errors.Add);
        Action<int, string> handler = (_, _) => throw new ArgumentException("bad");
        EventHandlers.Raise(handler, 1, "x", errors.Add);

        Assert.IsType<ArgumentException>(Assert.Single(errors));
    }
}
