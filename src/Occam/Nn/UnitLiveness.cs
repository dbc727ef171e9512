namespace Occam.Nn;

/// <summary>
/// Which units of a network still matter, counted on exact zeros. Index k of each array describes the inputs of
/// dense layer k (k = 0: the network's inputs; k = L: the outputs). A unit is <see cref="Informative"/> when a
/// chain of non-zero weights reaches it from an input (otherwise it outputs a constant), and
/// <see cref="Useful"/> when a chain of non-zero weights leads from it to an output (otherwise nothing reads it).
/// A hidden unit is alive when both hold; an input is kept when it is useful.
/// </summary>
internal sealed class UnitLiveness
{
    private UnitLiveness(bool[][] informative, bool[][] useful)
    {
        Informative = informative;
        Useful = useful;
    }

    public bool[][] Informative { get; }
    public bool[][] Useful { get; }

    public bool Alive(int k, int unit) => Informative[k][unit] && Useful[k][unit];

    /// <summary>One forward pass for informative, one backward pass for useful.</summary>
    public static UnitLiveness Of(Mlp model)
    {
        var dense = model.DenseLayers;
        int count = dense.Count;
        var informative = new bool[count + 1][];
        var useful = new bool[count + 1][];
        informative[0] = AllTrue(model.Inputs);
        for (int k = 0; k < count; k++)
        {
            var d = dense[k];
            informative[k + 1] = new bool[d.Outputs];
            for (int j = 0; j < d.Outputs; j++)
                for (int i = 0; i < d.Inputs && !informative[k + 1][j]; i++)
                    informative[k + 1][j] = informative[k][i] && d.Weight[j * d.Inputs + i] != 0f;
        }
        useful[count] = AllTrue(dense[^1].Outputs);
        for (int k = count - 1; k >= 0; k--)
        {
            var d = dense[k];
            useful[k] = new bool[d.Inputs];
            for (int i = 0; i < d.Inputs; i++)
                for (int j = 0; j < d.Outputs && !useful[k][i]; j++)
                    useful[k][i] = useful[k + 1][j] && d.Weight[j * d.Inputs + i] != 0f;
        }
        return new UnitLiveness(informative, useful);
    }

    private static bool[] AllTrue(int n)
    {
        var values = new bool[n];
        Array.Fill(values, true);
        return values;
    }
}
