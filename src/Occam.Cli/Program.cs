using Occam.Cli;

// A training run's large arrays on 2 MiB pages: fresh 4 KiB pages are dear on VMs (docs/algorithms/startup.md,
// "Zen 5 (session 19)"). Only for `train`: the other commands touch little memory, and --version nothing.
if (args is ["train", ..]) GcHeapHugePages.Advise();
return OccamApp.Run(args);
