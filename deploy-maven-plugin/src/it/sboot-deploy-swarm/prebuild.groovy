// A fresh commit (so a fresh tag) in the IT's own repository; the stack of an earlier, interrupted run removed.
def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
if (run(['docker', 'stack', 'ls', '--format', '{{.Name}}']).readLines().contains('sboot-springboot-swarm')) {
    run(['docker', 'stack', 'rm', 'sboot-springboot-swarm'])
    // the stack's networks go after its tasks: wait for them (bounded), not for a fixed time
    for (int i = 0; i < 60 && run(['docker', 'network', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=sboot-springboot-swarm']); i++) {
        Thread.sleep(500)
    }
}
def configs = run(['docker', 'config', 'ls', '-q', '--filter', 'label=dev.deployer.stack=sboot-springboot-swarm'])
if (configs) run(['docker', 'config', 'rm'] + configs.readLines())
evaluate(new File(hooks, 'own-git-repository.groovy'))
