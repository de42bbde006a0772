// Deployed with deploy -Pqa on Swarm, answers on its health URL; a broken commit is refused, the first one still serves.
image = '127.0.0.1:5443/timage/anysvc-e2e-swarm'
health = 'http://127.0.0.1:18494/health'
cleanup = {
    def stack = 'anysvc-e2e-swarm-qa'
    def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
    run(['docker', 'stack', 'rm', stack])
    def configs = run(['docker', 'config', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}"])
    if (configs) run(['docker', 'config', 'rm'] + configs.readLines())
}
return evaluate(new File(hooks, 'any-service-deploy-then-broken.groovy'))
