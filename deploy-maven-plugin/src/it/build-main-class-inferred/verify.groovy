// The only class with a main method is found in target/classes and becomes the image's entrypoint.
def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def log = new File(basedir, 'build.log').readLines()
def building = log.find { it.startsWith('[INFO] Building image 127.0.0.1:5443/timage/anysvc-inferred:' + sha + ' ') }
assert building : log.join('\n')
assert building.endsWith('(main class demo.App, the only class with a main method in classes/)') : building
def tarball = new File(basedir, 'target/deployer/image.tar')
assert tarball.isFile()
def image = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/deployer/image.json'))
assert image.outcome == 'tarball' && image.pushed == false
// the entrypoint in the image's config names the inferred class
def config = ['tar', 'xOf', tarball.path, 'config.json'].execute().text
assert config.contains('"demo.App"') : config
return true
