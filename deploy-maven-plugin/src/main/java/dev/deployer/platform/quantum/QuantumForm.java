package dev.deployer.platform.quantum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command forms quantum-cli generations use to create or update a stack, in the order Deployer prefers
 * them when a CLI speaks more than one.
 */
public enum QuantumForm {

    /** quantum-cli 2: {@code stacks update --create --wait --stack S --endpoint E --project DIR}, reads {@code .quantum}. */
    STACKS_UPDATE("stacks", "update"),

    /** quantum-cli 3: {@code stacks deploy -f FILE --stack S --endpoint E}, no project descriptor. */
    STACKS_DEPLOY("stacks", "deploy"),

    /** Older CLIs: {@code stack update --create --wait --stack S}, run in the project directory. */
    STACK_UPDATE("stack", "update");

    private final String group;
    private final String verb;

    QuantumForm(String group, String verb) {
        this.group = group;
        this.verb = verb;
    }

    /** The command group, {@code stacks} or {@code stack}. */
    public String group() {
        return group;
    }

    /** The sub-command, {@code update} or {@code deploy}. */
    public String verb() {
        return verb;
    }

    /** {@code stacks update} and so on. */
    public String words() {
        return group + " " + verb;
    }

    /**
     * The deploy command line. The endpoint goes on the command line where the form documents a flag for it
     * (it is not secret); the legacy form reads it from {@code QUANTUM_ENDPOINT}.
     *
     * @param cli        the quantum-cli program
     * @param stack      the stack name
     * @param endpoint   the endpoint name
     * @param project    the directory holding {@code .quantum} and the stack file
     * @param stackFile  the stack file, inside {@code project}
     */
    public List<String> argv(String cli, String stack, String endpoint, Path project, Path stackFile) {
        return argv(cli, stack, endpoint, project, stackFile, null);
    }

    /**
     * The same for one deploy phase: the forms that read {@code .quantum} select the phase's file with
     * {@code --environment} (an entry of the descriptor's {@code environments}); {@code stacks deploy} names the
     * file itself.
     *
     * @param environment the descriptor's environment naming the file, or null for its default {@code compose}
     */
    public List<String> argv(String cli, String stack, String endpoint, Path project, Path stackFile, String environment) {
        List<String> argv = new ArrayList<>(List.of(cli, group, verb));
        switch (this) {
            case STACKS_UPDATE -> argv.addAll(List.of("--create", "--wait", "--stack", stack, "--endpoint", endpoint,
                    "--project", project.toString()));
            case STACKS_DEPLOY -> argv.addAll(List.of("-f", stackFile.toString(), "--stack", stack,
                    "--endpoint", endpoint));
            case STACK_UPDATE -> argv.addAll(List.of("--create", "--wait", "--stack", stack));
        }
        if (environment != null && this != STACKS_DEPLOY) {
            argv.addAll(List.of("--environment", environment));
        }
        return argv;
    }

    @Override
    public String toString() {
        return words();
    }
}
