using Occam.Numerics.Random;
using Occam.Selection;

namespace Occam.Tests.Selection;

public class SearchSpaceTests
{
    [Fact]
    public void CompactGrammarGivesTheGridInRowMajorOrder()
    {
        var space = SearchSpace.Parse("l1=log(1e-4,1e-2,3); dropout=0,0.5 ; hidden=32,(64,16),none;optimizer=adam");
        Assert.Equal(3 * 2 * 3, space.GridSize);
        var grid = space.Grid().ToArray();
        Assert.Equal("l1=0.0001 dropout=0 hidden=32 optimizer=adam", grid[0].ToString());
        Assert.Equal("l1=0.0001 dropout=0 hidden=64,16 optimizer=adam", grid[1].ToString());
        Assert.Equal("l1=0.0001 dropout=0.5 hidden=32 optimizer=adam", grid[3].ToString());
        Assert.Equal("l1=0.01 dropout=0.5 hidden=none optimizer=adam", grid[^1].ToString());
        var middle = grid[6][HyperParameter.L1]!.Number;
        Assert.Equal(1e-3, middle, 1e-15); // geometric midpoint of 1e-4 and 1e-2
        Assert.Equal(2, grid[1][HyperParameter.Hidden]!.Layers!.Count);
    }

    [Fact]
    public void LinearRangesAndWholeNumbersRoundAndDropRepeats()
    {
        var space = SearchSpace.Parse("dropout=lin(0,0.6,4);epochs=log(1,4,5)");
        Assert.Equal(["0", "0.2", "0.4", "0.6"], space.Dimensions[0].Grid().Select(v => v.ToString()));
        // 4^(i/4) = 1, 1.41, 2, 2.83, 4 → 1, 1, 2, 3, 4 → distinct 1, 2, 3, 4
        Assert.Equal(["1", "2", "3", "4"], space.Dimensions[1].Grid().Select(v => v.ToString()));
    }

    [Fact]
    public void JsonFormRoundTripsAndMatchesTheCompactForm()
    {
        var space = SearchSpace.Parse("l1=log(1e-5,0.1,9);dropout=0,0.2,0.5;hidden=64,(128,64);activation=relu,tanh;lr=lin(0.001,0.01)");
        string json = space.ToJson();
        Assert.Equal("{\"l1\":{\"log\":[1E-05,0.1,9]},\"dropout\":[0,0.2,0.5],\"hidden\":[64,[128,64]],\"activation\":[\"relu\",\"tanh\"],\"lr\":{\"lin\":[0.001,0.01]}}", json);
        var back = SearchSpace.FromJson(json, "space.json");
        Assert.Equal(space.ToString(), back.ToString());
        Assert.Equal(json, back.ToJson());
        Assert.Equal("l1=log(1e-05,0.1,9);dropout=0,0.2,0.5;hidden=64,(128,64);activation=relu,tanh;lr=lin(0.001,0.01)", space.ToString());
    }

    [Fact]
    public void RandomDrawsAreSeededAndStayInTheRange()
    {
        var space = SearchSpace.Parse("l1=log(1e-5,1e-1);dropout=0,0.5;hidden=lin(8,64)");
        var a = Enumerable.Range(0, 200).Select(_ => 0).Aggregate((new Rng(5), new List<string>()), (s, _) => { s.Item2.Add(space.Sample(s.Item1).ToString()); return s; }).Item2;
        var b = Enumerable.Range(0, 200).Select(_ => 0).Aggregate((new Rng(5), new List<string>()), (s, _) => { s.Item2.Add(space.Sample(s.Item1).ToString()); return s; }).Item2;
        Assert.Equal(a, b);
        var rng = new Rng(9);
        var draws = Enumerable.Range(0, 2000).Select(_ => space.Sample(rng)).ToArray();
        var l1 = draws.Select(d => d[HyperParameter.L1]!.Number).ToArray();
        Assert.All(l1, v => Assert.InRange(v, 1e-5, 1e-1));
        // log-uniform: half the draws below the geometric midpoint 1e-3 (binomial sd √(2000/4) ≈ 22; 5 sd = 112)
        Assert.InRange(l1.Count(v => v < 1e-3), 1000 - 112, 1000 + 112);
        Assert.All(draws, d => Assert.InRange(d[HyperParameter.Hidden]!.Layers![0], 8, 64));
    }

    [Theory]
    [InlineData("", "--search is empty")]
    [InlineData("  ;  ", "holds no hyper-parameter")]
    [InlineData("l3=1", "at character 1 ('l3'): unknown hyper-parameter 'l3'; use one of lr, l1")]
    [InlineData("l1=log(1e-1,1e-5,9)", "at character 4 ('log(1e-1,1e-5,9)'): l1: min 0.1 > max 1e-05; write the smaller bound first")]
    [InlineData("l1=log(0,1,3)", "a log range needs min > 0")]
    [InlineData("l1=1e-3;dropout=0,x", "at character 19 ('x'): 'x' is not a number; dropout takes numbers")]
    [InlineData("l1 0.1", "at character 4 ('0.1'): expected '=' after 'l1'")]
    [InlineData("l1=log(1e-5,1e-1", "at character 17 (the end): the spec ends where ')' to close log(min,max,count) is expected")]
    [InlineData("dropout=0.5,1", "dropout must be in [0, 1) (got 1)")]
    [InlineData("l1=-1", "l1 must be >= 0 (got -1)")]
    [InlineData("optimizer=adam,rmsprop", "optimizer must be sgd, momentum, nesterov, adam or adamw (got 'rmsprop')")]
    [InlineData("optimizer=log(1,2,3)", "optimizer takes names, not a range")]
    [InlineData("l1=1;l1=2", "at character 6 ('l1'): l1 is given twice")]
    [InlineData("hidden=(64,0)", "at character 12 ('0'): a layer size must be a whole number > 0")]
    [InlineData("epochs=1.5", "epochs takes whole numbers (got 1.5)")]
    [InlineData("dropout=0,0", "dropout: 0 is listed twice")]
    [InlineData("l1=log(1e-5,1e-1,0)", "the count must be a whole number >= 1")]
    [InlineData("dropout=(1,2)", "parentheses group hidden layer sizes")]
    public void BadSpecsAreOneLineErrorsThatPointAtTheToken(string spec, string expected)
    {
        var e = Assert.Throws<OccamException>(() => SearchSpace.Parse(spec));
        Assert.Equal(OccamErrorKind.Usage, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("--search", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("{\"l1\": ", "space.json: not valid JSON at line 1")]
    [InlineData("[1]", "space.json: a search space is a JSON object")]
    [InlineData("{}", "space.json: the search space is empty")]
    [InlineData("{\"l9\": [1]}", "space.json: \"l9\": unknown hyper-parameter")]
    [InlineData("{\"l1\": {\"log\": [0.1, 0.001, 3]}}", "space.json: \"l1\": l1: min 0.1 > max 0.001")]
    [InlineData("{\"l1\": {\"exp\": [1, 2]}}", "space.json: \"l1\": a range is {\"log\": [min, max, count]}")]
    [InlineData("{\"dropout\": []}", "space.json: \"dropout\": the list is empty")]
    [InlineData("{\"optimizer\": [1]}", "space.json: \"optimizer\": optimizer takes names in quotes")]
    public void BadJsonSpacesNameTheFileAndKey(string json, string expected)
    {
        var e = Assert.Throws<OccamException>(() => SearchSpace.FromJson(json, "space.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrialSettingsRoundTripThroughJson()
    {
        var s = SearchSpace.Parse("l1=0.001;hidden=(128,64);optimizer=sgd").Grid().Single();
        Assert.Equal("{\"l1\":0.001,\"hidden\":[128,64],\"optimizer\":\"sgd\"}", s.ToJson());
        Assert.Equal(s.ToString(), TrialSettings.FromJson(s.ToJson()).ToString());
        var recipe = new TrainingRecipe().With(s);
        Assert.Equal((0.001, "sgd"), (recipe.L1, recipe.Optimizer));
        Assert.Equal([128, 64], recipe.Hidden);
        Assert.Equal(recipe, TrainingRecipe.FromJson(recipe.ToJson()) with { Hidden = recipe.Hidden });
        Assert.Equal(recipe.ToJson(), TrainingRecipe.FromJson(recipe.ToJson()).ToJson());
        Assert.Throws<OccamException>(() => TrialSettings.FromJson("{\"l1\":-1}"));
    }
}
