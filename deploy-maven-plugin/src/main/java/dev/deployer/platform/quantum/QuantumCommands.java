package dev.deployer.platform.quantum;

import dev.deployer.core.Command;
import dev.deployer.core.DeployerException;
import dev.deployer.core.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * quantum-cli's command lines as data: built, never run. Every command carries the settings: the endpoint in its
 * environment and the credentials as secrets (masked when shown, and in the command's output).
 *
 * @param binary   the quantum-cli program, a path or a name on the PATH
 * @param settings the credentials and the endpoint
 */
public record QuantumCommands(String binary, QuantumSettings settings) {

    public QuantumCommands {
        if (binary == null || binary.isBlank()) {
            throw new DeployerException("The quantum-cli program is empty", QuantumCli.PARAMETER,
                    "leave deployer.quantumCli unset to use quantum-cli from the PATH, or name the binary");
        }
        Objects.requireNonNull(settings, "settings");
    }

    /** The deploy in {@code form}: credentials and the stack's secrets only in its environment. */
    public Command deploy(QuantumForm form, String stack, Path project, Path stackFile, List<Secret> stackSecrets) {
        return deploy(form, stack, project, stackFile, null, stackSecrets);
    }

    /** The same for one deploy phase: {@code environment} is the descriptor's entry naming its file ({@link QuantumForm#argv}). */
    public Command deploy(QuantumForm form, String stack, Path project, Path stackFile, String environment,
            List<Secret> stackSecrets) {
        return withSettings(Command.of(form.argv(binary, stack, settings.endpoint(), project, stackFile, environment)))
                .withSecrets(stackSecrets)
                .in(project);
    }

    /**
     * {@code <group> rm --stack S} (with {@code --endpoint} where the form has it), or null when the CLI lists
     * no removal command. Removal is not in the public material: the command is assumed (docs/quantum.md).
     */
    public Command remove(QuantumDetection detected, String stack) {
        String verb = detected.removeVerb();
        if (verb == null) {
            return null;
        }
        List<String> argv = new ArrayList<>(List.of(binary, detected.form().group(), verb, "--stack", stack));
        if (detected.form() != QuantumForm.STACK_UPDATE) {
            argv.addAll(List.of("--endpoint", settings.endpoint()));
        }
        return withSettings(Command.of(argv));
    }

    /** {@code ps --stack S --output json} (with {@code --all} for the tasks that ended too). */
    public Command ps(String stack, boolean all) {
        List<String> argv = new ArrayList<>(List.of(binary, "ps", "--stack", stack));
        if (all) {
            argv.add("--all");
        }
        argv.addAll(List.of("--output", "json"));
        return withSettings(Command.of(argv));
    }

    /** {@code auth status}: checks the credentials and the endpoint, changes nothing. */
    public Command authStatus() {
        return withSettings(Command.of(binary, "auth", "status"));
    }

    /**
     * Help and version ({@code quantum-cli <words>}). They need no login, but carry the settings too: the CLI
     * inherits the build's environment anyway, and a command that carries the credential masks it in its output.
     */
    public Command plain(String... words) {
        List<String> argv = new ArrayList<>();
        argv.add(binary);
        argv.addAll(List.of(words));
        return withSettings(Command.of(argv));
    }

    private Command withSettings(Command command) {
        return command.withEnv(settings.plainEnv()).withSecrets(settings.credentialSecrets());
    }
}
