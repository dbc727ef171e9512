using Occam.Linear;

namespace Occam.Experiments;

/// <summary>
/// The solver settings shared by the linear-model experiments (polynomial, biases-unpenalized, geometry,
/// multicollinearity): float64 coordinate descent run to a duality gap of 10⁻¹⁰ relative (<see cref="LinearOptions.Tolerance"/>)
/// instead of the library default 10⁻⁴, so that the fits are the exact optima up to rounding (the claims are about the
/// mathematics, and the scikit-learn references in tests/golden/experiments agree to 10⁻⁶); polynomial and correlated
/// columns need many sweeps at small α, hence the sweep limit of 10⁶.
/// </summary>
internal static class LinearSolverSettings
{
    /// <summary>Duality-gap tolerance of every fit.</summary>
    public const double Tolerance = 1e-10;

    /// <summary>Sweep limit per α.</summary>
    public const int Sweeps = 1_000_000;

    /// <summary>Solver options with ρ = <paramref name="l1Ratio"/> (intercept fitted, columns standardized).</summary>
    public static LinearOptions Options(double l1Ratio) => new() { L1Ratio = l1Ratio, Tolerance = Tolerance, MaxIterations = Sweeps };

    /// <summary>
    /// The ridge CV grid from a lasso one: the library computes α_max with ρ' = max(ρ, 10⁻³), 1000 times the lasso's,
    /// so the ridge grid runs 1000 times further down (eps·10⁻³) to reach the same small α.
    /// </summary>
    public static CvOptions RidgeGrid(CvOptions lasso) => lasso with { Path = lasso.Path with { Eps = lasso.Path.Eps * 1e-3 } };
}
