def log = new File(basedir, 'build.log').text
def name = 'deployer-lock-lockst-it-unlock'
try {
    assert log =~ /Refusing to break the deploy lock of 'lockst-it-unlock': it is only \d+ s old/ : log
    assert log.contains('younger than 300 s, the lock timeout') : log
    // who, where, since when, which version
    assert log.contains('Held by ci@runner pid 4711, CI run https://github.com/acme/shop/actions/runs/77, deploying 127.0.0.1:5443/deployer/redis:7@sha256:') : log
    assert log.contains('-Ddeployer.unlockYoung=true') : log
    // the second invocation broke it, saying whose it was
    assert log.contains("Breaking the deploy lock of 'lockst-it-unlock' held by ci@runner pid 4711") : log
    def left = ['docker', 'volume', 'ls', '-q', '--filter', "name=${name}"].execute().text.trim()
    assert left.isEmpty() : "the lock is still there: ${left}"
} finally {
    ['docker', 'volume', 'rm', '--force', name].execute().waitFor()
}
return true
