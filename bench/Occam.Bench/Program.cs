using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "gemm-quick") return Occam.Bench.GemmQuick.Run(args[1..]);
if (args.Length > 0 && args[0] == "steps") return Occam.Bench.StepsQuick.Run(args[1..]);
if (args.Length > 0 && args[0] == "efficiency") return Occam.Bench.EfficiencyQuick.Run(args[1..]);
if (args.Length > 0 && args[0] == "infer") return Occam.Bench.InferQuick.Run(args[1..]);
if (args.Length > 0 && args[0] == "infer-probe") return Occam.Bench.InferProbe.Run(args[1..]);
if (args.Length > 0 && args[0] == "train") return Occam.Bench.TrainQuick.Run(args[1..]);
if (args.Length > 0 && args[0] == "save") return Occam.Bench.SaveQuick.Run(args[1..]);
if (args.Length > 0 && args[0] == "machine") return Occam.Bench.MachineInfo.Run();
if (args.Length > 0 && args[0] == "kernels") return Occam.Bench.KernelsQuick.Run(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
