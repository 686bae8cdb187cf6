namespace Lambda.Speed.Checkpoints;

/// <summary>What a checkpoint file holds: a full state, or the changes since the previous checkpoint.</summary>
internal enum CheckpointKind : byte
{
    /// <summary>A full snapshot of the state; a chain starts here.</summary>
    Base = 1,

    /// <summary>The changes since the checkpoint of the previous sequence number.</summary>
    Delta = 2,
}
