def secret = 'it-compose-canary-0b9d77e1f3'
def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
def containers = run(['docker', 'ps', '-aq', '--filter', 'label=com.docker.compose.project=tdep-it-compose'])
def records = run(['docker', 'volume', 'ls', '-q', '--filter', 'label=dev.deployer.stack=tdep-it-compose'])
def env = containers ? run(['docker', 'inspect', '--format', '{{json .Config.Env}}'] + containers.readLines()) : ''
try {
    def log = new File(basedir, 'build.log').text
    assert log.contains('[INFO] Deployed and verified: 127.0.0.1:5443/deployer/redis:7@sha256:') : log
    assert log.contains('already runs with the same stack file: nothing to deploy, verifying health')
    assert log.contains('[INFO] Unchanged, verified healthy: 127.0.0.1:5443/deployer/redis:7@sha256:')
    assert log.contains('[DEBUG] ')
    assert !log.contains(secret) : 'the secret value is in the build log'
    def leaks = []
    new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { if (it.text.contains(secret)) leaks << it }
    assert leaks.isEmpty() : "the secret value leaked into ${leaks}"
    assert env.contains('IT_SECRET=' + secret) : 'the container did not receive the secret'
    def deployment = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/deployer/deployment.json'))
    assert deployment.outcome == 'unchanged' && deployment.stack == 'tdep-it-compose' && deployment.digest.startsWith('sha256:')
    assert records.readLines().size() == 1 : 'one history record (the unchanged redeploy adds none), the lock released'
    def stack = new File(basedir, 'target/deployer/qa/docker-compose.yml').text
    assert stack.contains('IT_SECRET: "${IT_SECRET}"')
} finally {
    def all = containers.readLines().findAll { it }
    if (all) run(['docker', 'rm', '-f'] + all)
    def volumes = records.readLines().findAll { it }
    if (volumes) run(['docker', 'volume', 'rm'] + volumes)
    run(['docker', 'network', 'rm', 'tdep-it-compose_default'])
}
return true
