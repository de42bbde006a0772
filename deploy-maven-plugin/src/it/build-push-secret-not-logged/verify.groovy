// Pushed under -X; the password (and its HTTP Basic form) is nowhere in deployer:build's output (Jib's debug events
// included), only the credential's source. (Only Deployer's part of the log is checked: maven-resources-plugin, 3.3.1
// and 3.4.0 alike, prints every environment variable under -X, "properties used: env.…" — see docs/image.md.)
import groovy.json.JsonSlurper

def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def image = new JsonSlurper().parse(new File(basedir, 'target/deployer/image.json'))
assert image.pushed == true
assert image.tags == [sha, 'sha-' + sha.substring(0, 7)]

def lines = new File(basedir, 'build.log').readLines()
def start = lines.findIndexOf { it.startsWith('[INFO] --- deployer:') && it.contains(':build (default-cli)') }
assert start >= 0 : 'deployer:build did not run'
def end = lines.findIndexOf(start + 1) { it.startsWith('[INFO] --- ') || it.startsWith('[INFO] BUILD ') }
def text = lines.subList(start, end).join('\n')
assert text.contains('[DEBUG] Jib step') : 'the build ran with -X and the debug events of Jib are in the section'
assert text.contains(": pushed (tags: ${sha}, sha-${sha.substring(0, 7)})")
assert text.contains("[INFO] Registry 127.0.0.1:5443: credential of user 'deployer' from environment DEPLOYER_REGISTRY_USERNAME/DEPLOYER_REGISTRY_PASSWORD")
assert !text.contains('deployer-ci-password') : 'the password is in the log'
assert !text.contains('deployer:deployer-ci-password'.bytes.encodeBase64().toString()) : 'the Basic credential is in the log'
return true
