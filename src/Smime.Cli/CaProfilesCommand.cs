using System.CommandLine;
using Smime.Authority;

namespace Smime.Cli;

/// <summary>`smime ca profiles`: the S/MIME BR profiles and the old class names.</summary>
internal sealed class CaProfilesCommand
{
    public Command Build(CliContext context)
    {
        var command = new Command("profiles",
            "List the CA/B Forum S/MIME profiles --profile accepts, with the old class names.");
        command.SetAction(_ => Cli.Execute(context, () => Run(context)));
        return command;
    }

    private static int Run(CliContext context)
    {
        foreach (SmimeProfile profile in SmimeProfiles.All)
        {
            context.Out.WriteLine($"{profile.Name,-26} {profile.PolicyOid,-18} "
                + $"max {profile.MaximumValidityDays} days  ({profile.LegacyClass})");
        }

        context.Out.WriteLine();
        foreach ((string name, string meaning) in SmimeProfiles.ClassNames)
        {
            context.Out.WriteLine($"{name,-26} {meaning}");
        }

        return ExitCodes.Success;
    }
}
