// A lock as a deploy killed a minute ago left it on the Compose target: a named volume with the lock's labels.
def name = 'deployer-lock-lockst-it-unlock'
['docker', 'volume', 'rm', '--force', name].execute().waitFor()
def started = java.time.Instant.now().minusSeconds(60).toString()
def labels = ['dev.deployer.kind=lock', 'dev.deployer.stack=lockst-it-unlock', 'dev.deployer.owner=ci@runner pid 4711',
              'dev.deployer.run=https://github.com/acme/shop/actions/runs/77',
              'dev.deployer.version=127.0.0.1:5443/deployer/redis:7@sha256:' + ('0' * 64),
              "dev.deployer.started=${started}", 'dev.deployer.token=it-token', "dev.deployer.record=${name}",
              'dev.deployer.record-id=it-record', 'dev.deployer.data=']
def command = ['docker', 'volume', 'create']
labels.each { command += ['--label', it] }
command << name
def process = command.execute()
process.waitFor()
assert process.exitValue() == 0 : process.err.text
return true
