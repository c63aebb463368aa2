package io.keisei.cli.commands;

import io.keisei.cli.KeiseiCommand;
import io.keisei.cli.http.ApiClient;
import io.keisei.cli.output.Output;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** What every client command has at hand: the root's options, streams, API client and output. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    protected KeiseiCommand root() {
        return (KeiseiCommand) spec.root().userObject();
    }

    protected ApiClient api() {
        return root().api();
    }

    protected Output output() {
        return root().output();
    }

    protected PrintStream out() {
        return root().out();
    }

    protected PrintStream err() {
        return root().err();
    }
}
