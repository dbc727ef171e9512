namespace Occam.Data;

/// <summary>What a model predicts.</summary>
public enum TaskKind
{
    /// <summary>Real-valued target(s); loss is mean squared error.</summary>
    Regression,
    /// <summary>Two classes coded 0/1; loss is the logistic loss on one logit.</summary>
    Binary,
    /// <summary>K ≥ 3 classes coded 0..K−1; loss is softmax cross-entropy on K logits.</summary>
    Multiclass,
}
