def secret = 'it-dry-canary-7c1e5b0a94d2'
def log = new File(basedir, 'build.log').text
def dir = new File(basedir, 'target/deployer/qa').absolutePath
def prefix = "[INFO]   (cd ${dir} && IT_SECRET=[REDACTED] docker-compose -p tdep-it-dry -f docker-compose.yml "
assert log.contains("[INFO]   docker pull --quiet 127.0.0.1:5443/deployer/redis:7@sha256:") : log
assert log.contains(prefix + 'up -d --no-deps --remove-orphans redis)')
assert log.contains('[INFO]   # wait until healthy: redis')
assert log.indexOf("docker pull --quiet") < log.indexOf(prefix + "up -d")
assert !log.contains(secret) : 'the secret value is in the build log'
def leaks = []
new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { if (it.text.contains(secret)) leaks << it }
assert leaks.isEmpty() : "the secret value leaked into ${leaks}"
def ps = ['docker', 'ps', '-aq', '--filter', 'label=com.docker.compose.project=tdep-it-dry'].execute().text.trim()
def locks = ['docker', 'ps', '-aq', '--filter', 'name=deployer-lock-tdep-it-dry'].execute().text.trim()
assert ps.isEmpty() && locks.isEmpty() : 'a dry run created containers'
assert !new File(basedir, 'target/deployer/deployment.json').exists()
return true
