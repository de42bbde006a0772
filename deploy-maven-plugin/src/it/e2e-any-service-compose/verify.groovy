// Deployed with deploy -Pqa on Compose, answers on its health URL; a broken commit is refused, the first one still serves.
image = '127.0.0.1:5443/timage/anysvc-e2e'
health = 'http://127.0.0.1:18493/health'
cleanup = {
    def stack = 'anysvc-e2e-qa'
    def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
    def containers = run(['docker', 'ps', '-aq', '--filter', "label=com.docker.compose.project=${stack}"])
    def records = run(['docker', 'ps', '-aq', '--filter', "label=dev.deployer.stack=${stack}"])
    def all = (containers.readLines() + records.readLines()).findAll { it }
    if (all) run(['docker', 'rm', '-f'] + all)
    run(['docker', 'network', 'rm', "${stack}_default".toString()])
}
return evaluate(new File(hooks, 'any-service-deploy-then-broken.groovy'))
