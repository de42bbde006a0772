// init wrote the templates, the workflows and the POM snippet; render (qa, production) and audit work on them.
def log = new File(basedir, 'build.log').text
def file = { String path -> new File(basedir, path) }
['src/main/deploy/docker-compose.yml.vm', 'src/main/deploy/stack.yml.vm',
 '.github/workflows/ci.yml', '.github/workflows/deploy-qa.yml', '.github/workflows/deploy.yml'].each { path ->
    assert file(path).isFile() : "init did not write ${path}"
    assert log.contains("[INFO] Wrote ${path}") : "no 'Wrote ${path}' line"
    assert log.contains("[WARNING] Skipped ${path}: it exists (deployer:init never overwrites a file)") : "the second init did not skip ${path}"
}
assert log.contains('[INFO] Inserted into pom.xml (nothing else changed): <deployer.image>, <deployer.baseImage>, <maven.deploy.skip>, the deploy-maven-plugin in <build><plugins>, the profile qa, the profile production')
assert log.contains('[INFO] pom.xml already has everything: unchanged') || log.contains("Kept pom.xml's own")

// the POM: every line of the original kept, in order; the plugin-alone snippet added
def before = file('pom.xml.before').text
def after = file('pom.xml').text
int at = 0
before.readLines().each { line ->
    int found = after.indexOf(line, at)
    assert found >= 0 : "pom.xml lost or moved the line: ${line}"
    at = found + line.length()
}
def pom = new groovy.xml.XmlSlurper().parseText(after)
assert pom.properties.'deployer.image'.text() == 'registry.example.com/init-plain-service'
assert pom.build.plugins.plugin.find { it.artifactId.text() == 'deploy-maven-plugin' }.executions.execution.goals.goal*.text() == ['audit', 'build', 'deploy']
assert pom.profiles.profile.find { it.id.text() == 'qa' }.properties.'deployer.environment'.text() == 'qa'

// a plain service: PORT, REDIS_HOST, /health
def qa = file('target/deployer/qa/docker-compose.yml').text
assert qa.contains('REDIS_HOST: redis') && qa.contains('REDIS_PASSWORD: "[REDACTED]"') && qa.contains('http://127.0.0.1:8080/health')
assert qa.contains('image: registry.example.com/init-plain-service:')
def production = file('target/deployer/production/stack.yml').text
assert production.contains('  redis:') && production.contains('mode: host')
assert log.contains('Rendered src/main/deploy/stack.yml.vm -> target/deployer/production/stack.yml')

// the workflows call the reusable workflow pinned to a full SHA, and the audit finds nothing at all
assert file('.github/workflows/deploy.yml').text =~ /uses: deployer-org\/deployer\/\.github\/workflows\/deployer\.yml@[0-9a-f]{40} # v/
assert log.contains('[INFO] Audit: 3 files, 0 findings (0 high, 0 medium, 0 low, 0 info), 0 suppressed') : 'the audit of the written workflows is not clean'
return true
