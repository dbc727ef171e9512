using System.Globalization;
using Occam.Numerics.Activations;

namespace Occam.Selection;

/// <summary>The training hyper-parameters a sweep can search (names as in the CLI: <c>lr</c>, <c>l1</c>, …, <c>activation</c>).</summary>
public enum HyperParameter
{
    /// <summary><c>lr</c>: the learning rate (&gt; 0).</summary>
    Lr,
    /// <summary><c>l1</c>: λ of λ·Σ|w| (≥ 0).</summary>
    L1,
    /// <summary><c>l2</c>: λ of (λ/2)·Σw² (≥ 0).</summary>
    L2,
    /// <summary><c>elastic-net</c>: α of α·(ρ‖w‖₁ + (1−ρ)/2‖w‖²) (≥ 0).</summary>
    ElasticNet,
    /// <summary><c>l1-ratio</c>: ρ of the elastic net, in [0, 1].</summary>
    L1Ratio,
    /// <summary><c>group-lasso</c>: λ of λ·Σ_g √|g|·‖w_g‖₂ over hidden units (≥ 0).</summary>
    GroupLasso,
    /// <summary><c>weight-decay</c>: decoupled decay λ (w ← w − lr·λ·w, ≥ 0).</summary>
    WeightDecay,
    /// <summary><c>dropout</c>: inverted-dropout probability, in [0, 1).</summary>
    Dropout,
    /// <summary><c>hidden</c>: hidden layer sizes (one size, or a list in parentheses).</summary>
    Hidden,
    /// <summary><c>epochs</c>: passes over the training rows (&gt; 0).</summary>
    Epochs,
    /// <summary><c>batch-size</c>: rows per step (≥ 0, 0 = full batch).</summary>
    BatchSize,
    /// <summary><c>optimizer</c>: sgd, momentum, nesterov, adam or adamw.</summary>
    Optimizer,
    /// <summary><c>activation</c>: relu, tanh or sigmoid.</summary>
    Activation,
}

/// <summary>
/// What each <see cref="HyperParameter"/> is: its name, the kind of value it takes, its valid range, and its
/// regularization direction — the order the one-standard-error rule uses ("more regularized" = simpler model):
/// larger is more regularized for l1, l2, elastic-net, group-lasso, weight-decay, dropout (stronger penalty / noise)
/// and l1-ratio (more of the penalty on |w|: sparser); smaller is more regularized for hidden (fewer units, by their
/// total) and epochs (fewer gradient steps: early stopping shrinks like a ridge penalty, Yao, Rosasco and Caponnetto,
/// "On early stopping in gradient descent learning", Constr. Approx. 26, 2007); lr, batch-size, optimizer and
/// activation have no such order and are not used by the rule. The rule puts the sparsity-inducing ones
/// (<see cref="IsSparsityInducing"/>) first, then measured sparsity, then the others (<see cref="SweepChoice"/>).
/// See docs/algorithms/model-selection.md.
/// </summary>
public static class HyperParameters
{
    private static readonly (HyperParameter P, string Name)[] Names =
    [
        (HyperParameter.Lr, "lr"), (HyperParameter.L1, "l1"), (HyperParameter.L2, "l2"), (HyperParameter.ElasticNet, "elastic-net"),
        (HyperParameter.L1Ratio, "l1-ratio"), (HyperParameter.GroupLasso, "group-lasso"), (HyperParameter.WeightDecay, "weight-decay"),
        (HyperParameter.Dropout, "dropout"), (HyperParameter.Hidden, "hidden"), (HyperParameter.Epochs, "epochs"),
        (HyperParameter.BatchSize, "batch-size"), (HyperParameter.Optimizer, "optimizer"), (HyperParameter.Activation, "activation"),
    ];

    /// <summary>Every name, in the order of the enum, comma-separated (for error messages).</summary>
    public static string Listing => string.Join(", ", Names.Select(n => n.Name));

    /// <summary>The CLI name (e.g. "weight-decay").</summary>
    public static string Name(this HyperParameter p) => Names.First(n => n.P == p).Name;

    /// <summary>Parses a CLI name (case-sensitive, as the CLI options).</summary>
    public static bool TryParse(string name, out HyperParameter p)
    {
        foreach (var (q, n) in Names)
            if (n == name) { p = q; return true; }
        p = default;
        return false;
    }

    /// <summary>The kind of value the parameter takes.</summary>
    public static ValueKind KindOf(this HyperParameter p) => p switch
    {
        HyperParameter.Epochs or HyperParameter.BatchSize => ValueKind.Whole,
        HyperParameter.Hidden => ValueKind.Layers,
        HyperParameter.Optimizer or HyperParameter.Activation => ValueKind.Word,
        _ => ValueKind.Real,
    };

    /// <summary>+1: larger is more regularized; −1: smaller is; 0: no order (see the class remarks).</summary>
    public static int RegularizationDirection(this HyperParameter p) => p switch
    {
        HyperParameter.L1 or HyperParameter.L2 or HyperParameter.ElasticNet or HyperParameter.GroupLasso
            or HyperParameter.WeightDecay or HyperParameter.Dropout or HyperParameter.L1Ratio => 1,
        HyperParameter.Hidden or HyperParameter.Epochs => -1,
        _ => 0,
    };

    /// <summary>Whether larger values give exact zeros (l1, elastic-net, group-lasso, l1-ratio): the first key of the 1-SE order (<see cref="SweepChoice"/>).</summary>
    public static bool IsSparsityInducing(this HyperParameter p) =>
        p is HyperParameter.L1 or HyperParameter.ElasticNet or HyperParameter.GroupLasso or HyperParameter.L1Ratio;

    /// <summary>Null when <paramref name="v"/> is a valid value of <paramref name="p"/>, else what is wrong and the valid range.</summary>
    public static string? Check(this HyperParameter p, ParamValue v)
    {
        ArgumentNullException.ThrowIfNull(v);
        string text = v.ToString();
        return p switch
        {
            HyperParameter.Lr => v.Number > 0 && double.IsFinite(v.Number) ? null : $"lr must be > 0 (got {text})",
            HyperParameter.L1 or HyperParameter.L2 or HyperParameter.ElasticNet or HyperParameter.GroupLasso or HyperParameter.WeightDecay =>
                v.Number >= 0 && double.IsFinite(v.Number) ? null : $"{p.Name()} must be >= 0 (got {text}); a penalty strength cannot be negative",
            HyperParameter.L1Ratio => v.Number is >= 0 and <= 1 ? null : $"l1-ratio must be in [0, 1] (got {text})",
            HyperParameter.Dropout => v.Number is >= 0 and < 1 ? null : $"dropout must be in [0, 1) (got {text})",
            HyperParameter.Epochs => v.Number >= 1 ? null : $"epochs must be a whole number > 0 (got {text})",
            HyperParameter.BatchSize => v.Number >= 0 ? null : $"batch-size must be a whole number >= 0 (got {text}; 0 = full batch)",
            HyperParameter.Hidden => v.Layers!.All(s => s > 0) ? null : $"hidden layer sizes must be > 0 (got {text})",
            HyperParameter.Optimizer => v.Word is "sgd" or "momentum" or "nesterov" or "adam" or "adamw" ? null
                : $"optimizer must be sgd, momentum, nesterov, adam or adamw (got '{text}')",
            HyperParameter.Activation => Numerics.Activations.Activation.TryParse(v.Word!, out var a) && a != ActivationKind.Identity ? null
                : $"activation must be relu, tanh or sigmoid (got '{text}')",
            _ => null,
        };
    }
}

/// <summary>The kind of value a hyper-parameter takes.</summary>
public enum ValueKind
{
    /// <summary>A real number (lr, penalties, dropout).</summary>
    Real,
    /// <summary>A whole number (epochs, batch-size).</summary>
    Whole,
    /// <summary>Hidden layer sizes.</summary>
    Layers,
    /// <summary>A name (optimizer, activation).</summary>
    Word,
}

/// <summary>
/// One value of a hyper-parameter: a number (<see cref="Number"/>), hidden layer sizes (<see cref="Layers"/>) or a name
/// (<see cref="Word"/>). Equal when their canonical text (<see cref="ToString"/>) is equal.
/// </summary>
public sealed class ParamValue : IEquatable<ParamValue>
{
    private readonly string _text;

    private ParamValue(double number, int[]? layers, string? word, string text)
    {
        Number = number;
        Layers = layers;
        Word = word;
        _text = text;
    }

    /// <summary>The number (for layers: the total number of hidden units; for words: NaN).</summary>
    public double Number { get; }

    /// <summary>Hidden layer sizes, first to last, or null.</summary>
    public IReadOnlyList<int>? Layers { get; }

    /// <summary>The name, or null.</summary>
    public string? Word { get; }

    /// <summary>A real number (canonical text: the shortest round-trip form, e.g. "1e-05").</summary>
    public static ParamValue Of(double number) => new(number, null, null, number.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'));

    /// <summary>Hidden layer sizes (canonical text "128,64"; "none" for no hidden layer).</summary>
    public static ParamValue OfLayers(IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var copy = sizes.ToArray();
        return new(copy.Sum(s => (double)s), copy, null, copy.Length == 0 ? "none" : string.Join(',', copy));
    }

    /// <summary>A name (optimizer or activation).</summary>
    public static ParamValue OfWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return new(double.NaN, null, word, word);
    }

    /// <summary>The canonical text.</summary>
    public override string ToString() => _text;

    public bool Equals(ParamValue? other) => other is not null && other._text == _text;

    public override bool Equals(object? obj) => obj is ParamValue v && Equals(v);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);
}
