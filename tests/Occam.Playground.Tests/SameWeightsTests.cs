using System.Text.Json;
using Occam.Cli;

namespace Occam.Playground.Tests;

/// <summary>
/// One engine: the playground's network after n epochs equals, byte for byte as an occam-mlp/1 file, what
/// <c>occam train</c> writes for the same settings on the session's data file (the command the page shows).
/// </summary>
public class SameWeightsTests
{
    public static TheoryData<string> Settings => new()
    {
        """{"dataset":"spiral","hidden":"8,8","activation":"tanh","penalty":"l1","lambda":0.003,"l1Mode":"prox","learningRate":0.03,"batchSize":10,"seed":4}""",
        """{"dataset":"spiral3","features":"x,y,x2,y2,xy,sinx,siny","hidden":"6","activation":"relu","optimizer":"momentum","learningRate":0.05,"penalty":"elasticnet","lambda":0.002,"l1Ratio":0.3,"batchSize":0,"trainPercent":60,"seed":9}""",
        """{"dataset":"bumps","hidden":"8,4","activation":"sigmoid","optimizer":"sgd","learningRate":0.1,"penalty":"grouplasso","lambda":0.001,"dropout":0.2,"batchSize":16,"seed":2}""",
        """{"dataset":"xor","hidden":"none","features":"x,y,xy","penalty":"l2","lambda":0.01,"optimizer":"adamw","seed":3}""",
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task PlaygroundAndOccamTrainGiveTheSameWeights(string settings)
    {
        await using var host = await PlaygroundHost.StartAsync();
        var created = await host.PostJson("/api/sessions", settings);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        const int epochs = 6;
        for (int e = 0; e < epochs; e++) await host.Control(id, "step");
        string playground = await host.Client.GetStringAsync($"/api/sessions/{id}/model");

        string dir = Path.Combine(Path.GetTempPath(), "occam-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string data = Path.Combine(dir, "playground.csv"), model = Path.Combine(dir, "model.json");
            await File.WriteAllBytesAsync(data, await host.Client.GetByteArrayAsync($"/api/sessions/{id}/data.csv"));
            var args = host.Server.Sessions.Get(id).TrainCommand(data, epochs, model).Append("--json").ToArray();
            int code;
            var stdout = Console.Out;
            using (var sink = new StringWriter())
            {
                Console.SetOut(sink);
                try { code = OccamApp.Run(args); }
                finally { Console.SetOut(stdout); }
            }
            Assert.True(code == 0, "occam " + string.Join(' ', args));
            Assert.Equal(File.ReadAllText(model), playground);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
