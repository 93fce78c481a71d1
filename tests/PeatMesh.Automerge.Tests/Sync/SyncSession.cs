using PeatMesh.Automerge.Sync;

namespace PeatMesh.Automerge.Tests.Sync;

/// <summary>
/// One sync session between two documents, with every message encoded and decoded on the way (as on a
/// real wire), optional message loss, and counters of what was transferred.
/// </summary>
internal sealed class SyncSession(AutomergeDocument a, AutomergeDocument b)
{
    public AutomergeDocument A { get; } = a;

    public AutomergeDocument B { get; } = b;

    public SyncState StateA { get; set; } = new();

    public SyncState StateB { get; set; } = new();

    /// <summary>Messages generated so far (delivered or dropped).</summary>
    public int Messages { get; private set; }

    /// <summary>Change chunks carried by delivered messages.</summary>
    public int ChangesTransferred { get; private set; }

    /// <summary>The delivered messages, as decoded by the receiver.</summary>
    public List<SyncMessage> Delivered { get; } = [];

    /// <summary>Message numbers (1-based) to drop instead of delivering.</summary>
    public HashSet<int> Drop { get; } = [];

    /// <summary>Dropped messages.</summary>
    public List<SyncMessage> Dropped { get; } = [];

    /// <summary>One round: A sends (if it has something), then B. Returns false when both were silent.</summary>
    public bool Round()
    {
        var ab = Step(A, StateA, B, StateB);
        var ba = Step(B, StateB, A, StateA);
        return ab || ba;
    }

    /// <summary>Lets only A send (if it has something to say).</summary>
    public bool StepAToB() => Step(A, StateA, B, StateB);

    /// <summary>Runs rounds until both sides are silent; throws if that takes more than <paramref name="maxRounds"/>.</summary>
    public int RunUntilQuiet(int maxRounds, string step)
    {
        for (var round = 1; round <= maxRounds; round++)
        {
            if (!Round())
            {
                return round;
            }
        }

        throw new Xunit.Sdk.XunitException($"Sync step '{step}' did not go quiet within {maxRounds} rounds ({Messages} messages).");
    }

    /// <summary>Starts a new session, both sides restoring their persisted state.</summary>
    public void Reconnect()
    {
        StateA = SyncState.Decode(StateA.Encode());
        StateB = SyncState.Decode(StateB.Encode());
    }

    private bool Step(AutomergeDocument from, SyncState fromState, AutomergeDocument to, SyncState toState)
    {
        var message = from.GenerateSyncMessage(fromState);
        if (message is null)
        {
            return false;
        }

        Messages++;
        var decoded = SyncMessage.Decode(message.Encode());
        if (Drop.Contains(Messages))
        {
            Dropped.Add(decoded);
            return true;
        }

        foreach (var entry in decoded.Changes)
        {
            ChangesTransferred += AutomergeDocument.DecodeChanges(entry).Count;
        }

        Delivered.Add(decoded);
        to.ReceiveSyncMessage(toState, decoded);
        return true;
    }
}
