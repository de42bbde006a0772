// The service's own git repository, as a new user has it: no .gitignore (target/ must not make the tree dirty).
// Only the invoker's build.log is excluded, locally (.git/info/exclude): it is the test harness's file, not the service's.
assert new File('/var/lib/deployer-ci/env.sh').exists() : 'no /var/lib/deployer-ci/env.sh: run .ci/setup-env.sh first'
assert !new File(basedir, '.gitignore').exists()
def git = { String... args ->
    def p = (['git', '-c', 'user.email=it@deployer.dev', '-c', 'user.name=it', '-c', 'commit.gpgsign=false'] + args.toList())
            .execute(null, basedir)
    p.waitForProcessOutput(System.out, System.err)
    assert p.exitValue() == 0 : "git ${args.join(' ')} failed"
}
git 'init', '-q', '-b', 'main'
new File(basedir, '.git/info/exclude').text = 'build.log\n'
git 'add', '-A'
git 'commit', '-q', '-m', "release-it ${System.nanoTime()}"
return true
