namespace Kappa.Lifecycle;

/// <summary>
/// An operation was refused because a precondition does not hold (not caught up, not verified, Serving, a concurrent
/// change won). Nothing was changed. The <c>kappa</c> tool exits with code 2 for it.
/// </summary>
public class LifecycleRefusedException : InvalidOperationException
{
    public LifecycleRefusedException(string message)
        : base(message)
    {
    }
}
