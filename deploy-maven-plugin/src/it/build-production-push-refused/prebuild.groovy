// A fresh commit (so a fresh tag) in the IT's own repository.
def env = new File('/var/lib/deployer-ci/env.sh')
assert env.exists() : 'no /var/lib/deployer-ci/env.sh: run .ci/setup-env.sh first'
new File(basedir, '.gitignore').text = 'target/\nbuild.log\n'
def git = { String... args ->
    def p = (['git', '-c', 'user.email=it@deployer.dev', '-c', 'user.name=it', '-c', 'commit.gpgsign=false'] + args.toList())
            .execute(null, basedir)
    p.waitForProcessOutput(System.out, System.err)
    assert p.exitValue() == 0 : "git ${args.join(' ')} failed"
}
git 'init', '-q', '-b', 'main'
git 'add', '-A'
git 'commit', '-q', '-m', "build-production-push-refused ${System.nanoTime()}"
return true
