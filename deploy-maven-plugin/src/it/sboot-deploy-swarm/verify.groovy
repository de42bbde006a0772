// The Spring Boot service on Swarm through the plugin alone: -Pqa with deployer.qa.target=swarm, healthy on
// /actuator/health with Redis; a broken deploy is refused and rolled back, the first version still serving.
import groovy.json.JsonSlurper

def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
def stack = 'sboot-springboot-swarm'
try {
    def log = new File(basedir, 'build.log').text
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    assert log.contains("Building image 127.0.0.1:5443/sboot/springboot-swarm:${sha} from 127.0.0.1:5443/deployer/jre17-desktop:17 (main class demo.shop.ShopApplication, Start-Class of ")
    assert log.contains('[INFO] Deployed and verified: 127.0.0.1:5443/sboot/springboot-swarm:' + sha + '@sha256:')
    assert log.contains("[INFO]   stack:    ${stack} (target swarm, environment qa)")
    assert log =~ /\[WARNING\] Rolled back and verified healthy: .*127\.0\.0\.1:5443\/sboot\/springboot-swarm:${sha}@sha256:/
    assert log.contains('[INFO] BUILD FAILURE')
    def health = new URL('http://127.0.0.1:18574/actuator/health').text
    assert health.contains('"status":"UP"') && health.contains('"redis":{"status":"UP"') : health
    def conn = new URL('http://127.0.0.1:18574/hits').openConnection()
    conn.requestMethod = 'POST'
    assert new JsonSlurper().parse(conn.inputStream).hits >= 2 : 'the smoke check counted once, this request again'
    assert !log.contains('sboot-redis-5e93b1a8') : 'the secret value is in the build log'
} finally {
    run(['docker', 'stack', 'rm', stack])
    def records = run(['docker', 'ps', '-aq', '--filter', "label=dev.deployer.stack=${stack}"])
    if (records) run(['docker', 'rm', '-f'] + records.readLines())
    // configs/secrets of the deploy history, if the target keeps them as Swarm configs
    def configs = run(['docker', 'config', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}"])
    if (configs) run(['docker', 'config', 'rm'] + configs.readLines())
    // the volume and the pulled images go once Swarm has removed the stack's containers (bounded poll)
    for (int i = 0; i < 60 && run(['docker', 'ps', '-aq', '--filter', "label=com.docker.stack.namespace=${stack}"]); i++) {
        Thread.sleep(500)
    }
    run(['docker', 'volume', 'rm', "${stack}_redis-data"])
    def images = run(['docker', 'images', '-q', '127.0.0.1:5443/sboot/springboot-swarm']).readLines().unique()
    if (images) run(['docker', 'rmi', '-f'] + images)
}
return true
