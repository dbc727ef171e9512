using Occam.Cli;

return OccamApp.Run(args);
