// The Spring Boot service deployed with -Pqa through the plugin alone: the qa environment's defaults (compose, push,
// the stack and health URL from deployer.qa.*), an image of classes and dependency layers that starts with the
// application's own main class (not Spring Boot's nested-jar launcher), Redis behind it, the health URL answering;
// then a broken deploy is refused and rolled back, and the first version still serves.
import groovy.json.JsonSlurper

def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
def stack = 'sboot-springboot-qa'
def containers = run(['docker', 'ps', '-aq', '--filter', "label=com.docker.compose.project=${stack}"])
def records = run(['docker', 'ps', '-aq', '--filter', "label=dev.deployer.stack=${stack}"])
try {
    def log = new File(basedir, 'build.log').text
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    // the repackaged fat jar was built first; the image runs the Start-Class on a classpath of layers
    assert log.contains('spring-boot:3.5.7:repackage (repackage)')
    assert log.contains("Building image 127.0.0.1:5443/sboot/springboot-app:${sha} from 127.0.0.1:5443/deployer/jre17-desktop:17 (main class demo.shop.ShopApplication, Start-Class of ")
    def image = new JsonSlurper().parse(new File(basedir, 'target/deployer/image.json'))
    assert image.pushed == true && image.tags[0] == sha
    def config = new JsonSlurper().parseText(run(['docker', 'image', 'inspect', "127.0.0.1:5443/sboot/springboot-app@${image.digest}"]))[0]
    assert config.Config.Entrypoint == ['java', '-cp', '/app/libs/*:/app/resources:/app/classes', 'demo.shop.ShopApplication'] : config.Config.Entrypoint
    assert config.RootFS.Layers.size() >= 4 : 'base + dependencies + resources + classes'

    // deploy -Pqa: the qa environment's target, stack and health URL
    assert log.contains("[INFO]   stack:    ${stack} (target compose, environment qa)")
    assert log.contains('[INFO] Deployed and verified: 127.0.0.1:5443/sboot/springboot-app:' + sha + '@sha256:')
    // the broken deploy: refused, rolled back, the previous version still serving with its Redis and its count
    assert log.contains('[ERROR]   redis | sh: exec: line 0: redis-server: not found')
    assert log =~ /\[WARNING\] Rolled back and verified healthy: .*app=127\.0\.0\.1:5443\/sboot\/springboot-app:${sha}@sha256:/
    assert log.contains('[INFO] BUILD FAILURE')
    def health = new URL('http://127.0.0.1:18573/actuator/health').text
    assert health.contains('"status":"UP"') && health.contains('"redis":{"status":"UP"') : health
    def conn = new URL('http://127.0.0.1:18573/hits').openConnection()
    conn.requestMethod = 'POST'
    def hits = new JsonSlurper().parse(conn.inputStream).hits
    assert hits >= 2 : 'the smoke check counted once, this request again: Redis keeps the count'
    assert !log.contains('sboot-redis-7c41d0e2') : 'the secret value is in the build log'
} finally {
    def all = (containers.readLines() + records.readLines()).findAll { it }
    if (all) run(['docker', 'rm', '-f', '-v'] + all)
    ["${stack}_frontend", "${stack}_backend"].each { run(['docker', 'network', 'rm', it]) }
    run(['docker', 'volume', 'rm', "${stack}_redis-data"])
    def images = run(['docker', 'images', '-q', '127.0.0.1:5443/sboot/springboot-app']).readLines().unique()
    if (images) run(['docker', 'rmi', '-f'] + images)
}
return true
