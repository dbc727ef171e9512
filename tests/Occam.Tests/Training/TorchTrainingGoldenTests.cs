using System.Text.Json;
using Occam.Nn;
using Occam.Optimizers;
using Occam.Regularization;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// Full-batch MLP training against torch 1.13 (tests/golden/torch_training.json): same data, same initial
/// weights, same optimizer and penalties (L2 coupled, L1 subgradient, decoupled weight decay; biases
/// unpenalized), 100–200 steps; final weights must agree to 1e-5 (the issue asks 1e-4; measured worst 8.9e-7).
/// </summary>
public class TorchTrainingGoldenTests
{
    public static TheoryData<string> Names() => TorchGolden.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public void TrainerReproducesTorch(string name)
    {
        var c = TorchGolden.Load().Single(k => k.Name == name);
        var model = c.Init.Clone();
        var data = new TrainingData(c.X, c.Y, c.Rows, model.Inputs, 1);
        var result = Trainer.Fit(model, data, null, c.Options, c.Regularization, new Numerics.Random.Rng(0UL));
        Assert.Equal(c.Options.Epochs, result.Steps);
        // Epoch 1's loss is the loss before the first update, as torch records it.
        Assert.Equal(c.DataLoss[0], result.History[0].TrainLoss, 1e-5);
        TorchGolden.AssertClose(c.Final, model, 1e-5, name);
    }

}
