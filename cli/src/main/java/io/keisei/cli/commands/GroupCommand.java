package io.keisei.cli.commands;

import io.keisei.cli.ExitCodes;

/** A command that only groups others ({@code keisei sessions}): alone, it shows its usage and is a usage error. */
abstract class GroupCommand extends ApiCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        return ExitCodes.USAGE;
    }
}
