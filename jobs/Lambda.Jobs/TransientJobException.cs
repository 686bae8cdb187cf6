namespace Lambda.Jobs;

/// <summary>Thrown by a batch operation to say "try again later": always retried.</summary>
public sealed class TransientJobException : Exception
{
    public TransientJobException()
    {
    }

    public TransientJobException(string message)
        : base(message)
    {
    }

    public TransientJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
