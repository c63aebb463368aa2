package io.keisei.cli.commands;

import io.keisei.cli.ExitCodes;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code keisei completion bash|zsh}: the completion script picocli generates from the command tree. zsh runs
 * the same script through bashcompinit: the script's preamble loads it (and compinit, unless completion is already
 * set up), so the zsh variant only says so on top.
 */
@Command(name = "completion", description = {"Print a shell completion script.",
        "bash:  source <(keisei completion bash)      (or save it in ~/.local/share/bash-completion/completions/keisei)",
        "zsh:   source <(keisei completion zsh)       (in ~/.zshrc; it loads bashcompinit itself)"})
public final class CompletionCommand extends ApiCommand {

    /** The shells supported. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("keisei", spec.root().commandLine());
        if (shell == Shell.zsh) {
            script = "# keisei completion for zsh: source <(keisei completion zsh) in ~/.zshrc. It is the bash completion,\n"
                    + "# which runs in zsh through bashcompinit (loaded below, with compinit if it was not).\n" + script;
        }
        out().print(script);
        return ExitCodes.OK;
    }
}
