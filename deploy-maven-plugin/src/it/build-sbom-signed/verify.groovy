// The SBOM of a real Maven build: the project's dependencies (direct and transitive, with the graph, hashes and
// licences) and the base image digest; attached to the pushed digest and signed. The canary signing key is in
// neither Deployer's part of the -X log nor any file under target/. (maven-resources-plugin prints every environment
// variable under -X, outside Deployer's section: see docs/image.md.)
import groovy.json.JsonSlurper

def image = new JsonSlurper().parse(new File(basedir, 'target/deployer/image.json'))
assert image.pushed == true
def sbom = new JsonSlurper().parse(new File(basedir, 'target/deployer/sbom.cdx.json'))
assert sbom.bomFormat == 'CycloneDX' && sbom.specVersion == '1.6'
assert sbom.metadata.component.purl == 'pkg:maven/dev.deployer.it/build-sbom-signed@1.0.0'
def purls = sbom.components*.purl
['pkg:maven/org.yaml/snakeyaml@2.7', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.20.1',
 'pkg:maven/com.fasterxml.jackson.core/jackson-core@2.20.1',
 'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.20'].each { assert purls.contains(it) : "${it} not in ${purls}" }
def yaml = sbom.components.find { it.purl == 'pkg:maven/org.yaml/snakeyaml@2.7' }
assert yaml.hashes.find { it.alg == 'SHA-256' }.content ==~ /[0-9a-f]{64}/
assert yaml.licenses[0].license.id == 'Apache-2.0'
def databind = sbom.dependencies.find { it.ref == 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.20.1' }
assert databind.dependsOn.contains('pkg:maven/com.fasterxml.jackson.core/jackson-core@2.20.1')
def base = sbom.components.find { it.type == 'container' }
assert base.name == '127.0.0.1:5443/deployer/jre17:17' && base.version ==~ /sha256:[0-9a-f]{64}/

def lines = new File(basedir, 'build.log').readLines()
def start = lines.findIndexOf { it.startsWith('[INFO] --- deployer:') && it.contains(':build (default-cli)') }
assert start >= 0 : 'deployer:build did not run'
def end = lines.findIndexOf(start + 1) { it.startsWith('[INFO] --- ') || it.startsWith('[INFO] BUILD ') }
def text = lines.subList(start, end < 0 ? lines.size() : end).join('\n')
def digest = image.digest
assert text.contains("[INFO] SBOM attached: 127.0.0.1:5443/supply/it-sbom:${digest.replace(':', '-')}.sbom")
assert text.contains("[INFO] Signed 127.0.0.1:5443/supply/it-sbom@${digest}")

def key = new Properties()
new File(basedir, 'invoker.properties').withInputStream { key.load(it) }
def canary = key.getProperty('invoker.environmentVariables.DEPLOYER_SIGNING_KEY').readLines()
        .findAll { it && !it.startsWith('-----') }
assert canary.size() >= 2
canary.each { assert !text.contains(it) : 'the signing key is in the log' }
new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { file ->
    def content = file.getText('ISO-8859-1')
    canary.each { assert !content.contains(it) : "the signing key is in ${file}" }
}
return true
