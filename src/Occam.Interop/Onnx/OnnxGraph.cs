using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Occam.Interop.Onnx;

/// <summary>
/// A small builder over the generated ONNX classes (<c>onnx.proto</c>): initializers, nodes, graph inputs and outputs
/// with a symbolic batch dimension, then a <see cref="ModelProto"/> with IR version 8 and opset 17.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>ONNX IR version written (Debian's python3-onnx 1.12 checker accepts ≤ 8).</summary>
    public const long IrVersion = 8;

    /// <summary>Default-domain opset written (≤ 17 for the same checker).</summary>
    public const long Opset = 17;

    /// <summary>Name of the symbolic first dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly GraphProto graph;
    private int counter;

    public OnnxGraph(string name, string doc)
    {
        graph = new GraphProto { Name = name, DocString = doc };
    }

    /// <summary>Adds a float32 initializer of the given shape (data row-major).</summary>
    public string Constant(string name, ReadOnlySpan<float> data, params long[] shape) =>
        AddInitializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data), shape);

    /// <summary>Adds a float64 initializer of the given shape (data row-major).</summary>
    public string Constant(string name, ReadOnlySpan<double> data, params long[] shape) =>
        AddInitializer(name, TensorProto.Types.DataType.Double, MemoryMarshal.AsBytes(data), shape);

    /// <summary>Adds an int64 initializer of the given shape.</summary>
    public string Constant(string name, ReadOnlySpan<long> data, params long[] shape) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(data), shape);

    private string AddInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this machine is not.");
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(shape);
        graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds a node; returns the name of its (single) output.</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        string name = $"{op}_{counter++}";
        output ??= name + "_out";
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Declares a graph input of shape [batch, width].</summary>
    public void Input(string name, TensorProto.Types.DataType type, long width, string doc) =>
        graph.Input.Add(Value(name, type, width, doc));

    /// <summary>Declares a graph output of shape [batch, width] (or [batch] when width is null).</summary>
    public void Output(string name, TensorProto.Types.DataType type, long? width, string doc) =>
        graph.Output.Add(Value(name, type, width, doc));

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long? width, string doc)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        if (width is { } w) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = w });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    /// <summary>The finished model: IR 8, opset 17, producer "occam".</summary>
    public ModelProto Model(IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "occam",
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }
}
