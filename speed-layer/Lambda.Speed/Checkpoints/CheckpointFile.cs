namespace Lambda.Speed.Checkpoints;

/// <summary>One checkpoint file: its kind, sequence, the owner epoch it was written under, and its path.</summary>
internal readonly record struct CheckpointFile(CheckpointKind Kind, long Sequence, long Epoch, string Path);
