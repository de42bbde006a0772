// Shared by the e2e-any-service-* ITs; the caller sets `image` (repository), `health` (URL) and `cleanup` (a closure).
// 1. `deploy -Pqa` (the invoker's run) deployed the commit: the main class was inferred, target/ did not make the tree
//    dirty, and the service answers on its health URL.
// 2. A broken commit, deployed the same way (real Maven, same local repository and settings), is refused by the
//    health gate and rolled back: the first version still answers.
def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
def get = { String url ->
    def c = (HttpURLConnection) new URL(url).openConnection()
    c.connectTimeout = 3000; c.readTimeout = 3000
    def code = c.responseCode
    def body = (code < 400 ? c.inputStream : c.errorStream)?.text
    [code, body]
}
def git = { String... args ->
    def p = (['git', '-c', 'user.email=it@deployer.dev', '-c', 'user.name=it', '-c', 'commit.gpgsign=false'] + args.toList())
            .execute(null, basedir)
    def out = new StringBuilder(); p.waitForProcessOutput(out, out)
    assert p.exitValue() == 0 : "git ${args.join(' ')} failed: ${out}"
    out.toString().trim()
}
try {
    def good = git('rev-parse', 'HEAD')
    def log = new File(basedir, 'build.log').text
    assert log.contains("(main class com.acme.hello.Hello, the only class with a main method in classes/)") : log
    assert !log.contains('uncommitted changes') : log
    assert log.contains("[INFO] Deployed and verified: ${image}:${good}@sha256:") : log
    def record = new groovy.json.JsonSlurper().parse(new File(basedir, "target/deployer/image.json"))
    assert record.outcome == "pushed" && record.tags == [good]
    assert get(health) == [200, "ok ${good}".toString()]

    // the broken version: a new commit whose /health answers 500
    def source = new File(basedir, 'src/main/java/com/acme/hello/Hello.java')
    source.text = source.text.replace('HEALTHY = true', 'HEALTHY = false')
    git 'commit', '-q', '-am', 'break /health'
    def broken = git('rev-parse', 'HEAD')
    // the same Maven, local repository and settings as the invoker's run (src/it/settings.xml, filtered likewise)
    def settings = new File(basedir, 'target/it-settings.xml')
    settings.text = new File(hooks, '../settings.xml').text.replace('@localRepositoryUrl@',
            new File(userLocalRepository).toURI().toString())
    def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
    def pb = new ProcessBuilder(mvn, '-B', '-s', settings.path, "-Dmaven.repo.local=${localRepositoryPath}", 'deploy', '-Pqa')
            .directory(basedir).redirectErrorStream(true)
    pb.environment().put('DEPLOYER_REGISTRY_USERNAME', 'deployer')
    pb.environment().put('DEPLOYER_REGISTRY_PASSWORD', 'deployer-ci-password')
    pb.environment().remove('MAVEN_ARGS')
    def second = pb.start()
    def out = second.inputStream.text
    second.waitFor()
    new File(basedir, 'broken-deploy.log').text = out
    assert second.exitValue() != 0 : 'the broken version was deployed:\n' + out
    assert out.contains("Deploying ${image}:${broken}@sha256:") : out
    assert out.contains('Rolled back and verified healthy:') && out.contains(good) : out
    assert out.contains('BUILD FAILURE')
    assert get(health) == [200, "ok ${good}".toString()] : 'the previous version must still serve'
} finally {
    cleanup()
}
return true
