namespace Occam.Numerics.Activations;

/// <summary>The element-wise nonlinearities an MLP layer can use.</summary>
public enum ActivationKind
{
    /// <summary><c>y = x</c>.</summary>
    Identity,
    /// <summary><c>y = max(x, 0)</c>.</summary>
    Relu,
    /// <summary><c>y = tanh(x)</c>.</summary>
    Tanh,
    /// <summary><c>y = 1/(1 + e^−x)</c>.</summary>
    Sigmoid,
}

/// <summary>Dispatches an <see cref="ActivationKind"/> to its kernel.</summary>
public static class Activation
{
    /// <summary>Applies the activation: <c>y[i] = f(x[i])</c>.</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (kind)
        {
            case ActivationKind.Identity: x.CopyTo(y); break;
            case ActivationKind.Relu: Relu.Forward(x, y); break;
            case ActivationKind.Tanh: Tanh.Forward(x, y); break;
            case ActivationKind.Sigmoid: Sigmoid.Forward(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    /// <summary>Back-propagates through the activation given its output: <c>dx[i] = dy[i]·f'(x[i])</c>.</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        switch (kind)
        {
            case ActivationKind.Identity: dy.CopyTo(dx); break;
            case ActivationKind.Relu: Relu.Backward(y, dy, dx); break;
            case ActivationKind.Tanh: Tanh.Backward(y, dy, dx); break;
            case ActivationKind.Sigmoid: Sigmoid.Backward(y, dy, dx); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    /// <summary>Lower-case name used in model files and on the command line.</summary>
    public static string Name(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => "identity",
        ActivationKind.Relu => "relu",
        ActivationKind.Tanh => "tanh",
        ActivationKind.Sigmoid => "sigmoid",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a lower-case activation name; returns false for unknown names.</summary>
    public static bool TryParse(string name, out ActivationKind kind)
    {
        switch (name)
        {
            case "identity": kind = ActivationKind.Identity; return true;
            case "relu": kind = ActivationKind.Relu; return true;
            case "tanh": kind = ActivationKind.Tanh; return true;
            case "sigmoid": kind = ActivationKind.Sigmoid; return true;
            default: kind = default; return false;
        }
    }
}
