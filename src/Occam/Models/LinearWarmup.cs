using System.Globalization;
using System.Text;
using Occam.Data;

namespace Occam;

/// <summary>
/// Compiles the code of a linear fit on CSV data before the fit needs it, by running the same code on a tiny table:
/// the CSV tokenizer and number parsing, the target's task inference, the estimator's fit (column statistics, Gram
/// matrix, coordinate descent, duality gap) and, with <c>json</c>, the model's JSON. Meant for a background thread
/// started while the command line is parsed (the <c>occam linear</c> commands): the first call of each kernel is then
/// a call to compiled code. Changes no result: the tiny fit shares no state with the real one (the code it compiles is
/// the code the real fit's first calls would have compiled).
/// </summary>
/// <remarks>
/// Why: the kernels carry <c>AggressiveOptimization</c> or test <c>Vector512</c>, so ReadyToRun code does not cover
/// them and the runtime compiles them at their first call; generic instantiations over value types from another
/// assembly (<c>HashSet&lt;double&gt;</c>, TensorPrimitives' operators) are compiled at tier 0. On a 442 × 10 fit that
/// compilation is most of the command's own time (docs/algorithms/startup.md, "Ahead of the command").
/// </remarks>
public static class LinearWarmup
{
    /// <summary>Rows of the tiny table: more than its features (the Gram engine, as on the usual n &gt; p data).</summary>
    private const int Rows = 24;

    /// <summary>Features of the tiny table.</summary>
    private const int Features = 4;

    /// <summary>
    /// Compiles the vector kernels of a lasso or elastic-net fit on the Gram engine <b>last needed first</b> (the solver's
    /// coordinate update and dot product, ‖ỹ‖², the centred Gram matrix, then the column statistics), each run once on a
    /// 24 × 16 problem of its own: for a background thread started beside a command whose main thread goes straight to
    /// its fit, so that the two threads do not compile the same kernels in the same order. Changes no result; returns a
    /// value computed from the kernels' outputs.
    /// </summary>
    public static double RunGaussianKernels() => Linear.GaussianWarmup.Run();

    /// <summary>
    /// Fits <paramref name="estimator"/> (its penalty, task kind and options; α = 0.5: a sparse but non-empty lasso
    /// solution) on a tiny regression table parsed from CSV text, and writes the model's JSON when
    /// <paramref name="json"/>. Throws what the fit throws (callers on a background thread drop it: the command runs
    /// the same code and reports any error). Returns the tiny model.
    /// </summary>
    public static LinearModel Run(LinearEstimator estimator, bool json)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        var data = CsvLoader.Parse(TinyCsv(), "y");
        var model = (estimator with { Alpha = 0.5 }).Fit(data);
        if (json) _ = model.ToJson();
        return model;
    }

    /// <summary>
    /// A <see cref="Rows"/> × <see cref="Features"/> table and its target y = 2·x0 − 4·x2 + (i mod 4), as CSV text: whole
    /// numbers with more distinct values than a class count allows here (read as a regression, through the distinct-value
    /// count that most integer CSV targets go through); at α = 0.5 the lasso keeps x0 and x2 only.
    /// </summary>
    private static string TinyCsv()
    {
        var text = new StringBuilder("x0,x1,x2,x3,y\n");
        for (int i = 0; i < Rows; i++)
        {
            double y = i % 4;
            for (int j = 0; j < Features; j++)
            {
                double v = ((i * (j + 3) + j) % 7) - 3.0 + 0.5 * j;
                if (j == 0) y += 2 * v;
                if (j == 2) y -= 4 * v;
                text.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }
            text.Append(y.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
