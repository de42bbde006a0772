// package deployer:build: image.json with the commit's tags, a docker-loadable tarball, one summary line.
import groovy.json.JsonSlurper

def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
assert sha ==~ /[0-9a-f]{40}/

def image = new JsonSlurper().parse(new File(basedir, 'target/deployer/image.json'))
assert image.image == '127.0.0.1:5443/timage/it-tarball'
assert image.tags == [sha, 'sha-' + sha.substring(0, 7), '1.0.0'] : image.tags
assert image.digest ==~ /sha256:[0-9a-f]{64}/
assert image.pushed == false

def tarball = new File(basedir, 'target/deployer/image.tar')
assert tarball.length() > 1_000_000
def listing = ['tar', 'tf', tarball.path].execute().text.readLines()
assert listing.contains('manifest.json') : listing

def log = new File(basedir, 'build.log').readLines()
def summary = log.find { it.startsWith('[INFO] Image 127.0.0.1:5443/timage/it-tarball:' + sha + ' ') }
assert summary : 'no summary line'
assert summary.contains(image.digest + ': written to target/deployer/image.tar')
assert summary.contains("(tags: ${sha}, sha-${sha.substring(0, 7)}, 1.0.0)")
assert !log.any { it.contains('latest') } : 'no latest anywhere'
return true
