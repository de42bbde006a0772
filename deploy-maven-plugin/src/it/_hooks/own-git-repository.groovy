// Makes the IT project a git repository of its own with a fresh commit (so a fresh image tag): an IT must not depend
// on the checkout around it. Evaluated from an IT's prebuild.groovy: evaluate(new File(hooks, 'own-git-repository.groovy'))
// Set `asANewUserHasIt = true` before it for a repository with no .gitignore (target/ must not make the tree dirty):
// only the invoker's build.log is excluded, locally (.git/info/exclude), being the test harness's file.
def env = new File('/var/lib/deployer-ci/env.sh')
assert env.exists() : 'no /var/lib/deployer-ci/env.sh: run .ci/setup-env.sh first'
def plain = binding.hasVariable('asANewUserHasIt') && asANewUserHasIt
if (plain) {
    assert !new File(basedir, '.gitignore').exists()
} else {
    new File(basedir, '.gitignore').text = 'target/\nbase.tar\nbuild.log\n'
}
def git = { String... args ->
    def p = (['git', '-c', 'user.email=it@deployer.dev', '-c', 'user.name=it', '-c', 'commit.gpgsign=false'] + args.toList())
            .execute(null, basedir)
    p.waitForProcessOutput(System.out, System.err)
    assert p.exitValue() == 0 : "git ${args.join(' ')} failed"
}
git 'init', '-q', '-b', 'main'
if (plain) {
    new File(basedir, '.git/info/exclude').text = 'build.log\n'
}
git 'add', '-A'
git 'commit', '-q', '-m', "${basedir.name} ${System.nanoTime()}"
return true
