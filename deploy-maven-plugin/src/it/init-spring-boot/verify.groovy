// init in a Spring Boot service: Spring's environment names, /actuator/health, the plugin-alone snippet after
// spring-boot-maven-plugin (so deployer:build sees the repackaged jar), four-space indentation kept.
def log = new File(basedir, 'build.log').text
def file = { String path -> new File(basedir, path) }
def before = file('pom.xml.before').text
def after = file('pom.xml').text
int at = 0
before.readLines().each { line ->
    int found = after.indexOf(line, at)
    assert found >= 0 : "pom.xml lost or moved the line: ${line}"
    at = found + line.length()
}
assert after.contains('\n        <deployer.image>registry.example.com/init-spring-boot</deployer.image>\n')
assert after.contains('\n                <artifactId>deploy-maven-plugin</artifactId>\n')
assert after.indexOf('spring-boot-maven-plugin') < after.indexOf('deploy-maven-plugin')
assert log.contains('the profile qa, the profile production')

def qa = file('target/deployer/qa/docker-compose.yml').text
assert qa.contains('SPRING_DATA_REDIS_HOST: redis') && qa.contains('SPRING_DATA_REDIS_PASSWORD: "[REDACTED]"')
assert qa.contains('SERVER_PORT: "8080"') && qa.contains('http://127.0.0.1:8080/actuator/health')
assert file('target/deployer/production/stack.yml').text.contains('http://127.0.0.1:8080/actuator/health')
assert log.contains('[INFO] Audit: 3 files, 0 findings (0 high, 0 medium, 0 low, 0 info), 0 suppressed')
return true
