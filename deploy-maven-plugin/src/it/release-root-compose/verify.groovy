// The reactor root owns the release (releaseOwner=root), on Compose, each step a real Maven run:
// 1. the invoker's `deploy -Pqa -T 2`: the root (built first) defers its deploy; api and web push their images; the
//    module reaching deployer:deploy last deploys the root's release once, after both pushes (one history record);
// 2. web's push fails (a registry refusing the connection), with --fail-at-end so that lib still builds: nothing
//    deployed, lib (the last to reach deployer:deploy) says why, release 1 keeps serving.
def stack = 'tdep-relowner-root-qa'
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
def settings = new File(basedir, 'target/it-settings.xml')
settings.parentFile.mkdirs()
settings.text = new File(hooks, '../settings.xml').text.replace('@localRepositoryUrl@', new File(userLocalRepository).toURI().toString())
def mvn = { String name, List<String> args ->
    def command = [new File(System.getProperty('maven.home'), 'bin/mvn').path, '-B', '-s', settings.path,
                   "-Dmaven.repo.local=${localRepositoryPath}".toString()] + args
    def pb = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true)
    pb.environment().put('DEPLOYER_REGISTRY_USERNAME', 'deployer')
    pb.environment().put('DEPLOYER_REGISTRY_PASSWORD', 'deployer-ci-password')
    pb.environment().remove('MAVEN_ARGS')
    def process = pb.start()
    def out = process.inputStream.text
    process.waitFor()
    new File(basedir, "target/${name}.log").text = out
    [process.exitValue(), out]
}
def digests = { -> ['api', 'web'].collectEntries { m ->
    def record = new groovy.json.JsonSlurper().parse(new File(basedir, "${m}/target/deployer/image.json"))
    [(m): record.digest] } }
def running = { String service ->
    def id = run(['docker', 'ps', '-q', '--filter', "label=com.docker.compose.project=${stack}",
                  '--filter', "label=com.docker.compose.service=${service}"])
    run(['docker', 'inspect', '--format', '{{.Config.Image}}', id])
}
def history = { ->
    run(['docker', 'volume', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}", '--filter', 'label=dev.deployer.kind=history'])
            .readLines().findAll { it }.collect { name ->
        new groovy.json.JsonSlurper().parseText(run(['docker', 'volume', 'inspect', '--format', '{{json .Labels}}', name])) }
}
def cleanup = {
    def containers = run(['docker', 'ps', '-aq', '--filter', "label=com.docker.compose.project=${stack}"])
    def records = run(['docker', 'ps', '-aq', '--filter', "label=dev.deployer.stack=${stack}"])
    def all = (containers.readLines() + records.readLines()).findAll { it }
    if (all) run(['docker', 'rm', '-f'] + all)
    def volumes = run(['docker', 'volume', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}"]).readLines().findAll { it }
    if (volumes) run(['docker', 'volume', 'rm', '-f'] + volumes)
    run(['docker', 'network', 'rm', "${stack}_default".toString()])
}
try {
    // 1. the invoker's run: the root defers, the last module deploys the release of both images, once
    def sha1 = git('rev-parse', 'HEAD')
    def log = new File(basedir, 'build.log').text
    def release1 = digests()
    assert log.contains('Deferring the deploy of the release of tdep-relowner-root to the end of the reactor: waiting for') : log
    assert log.contains('Skipping deployer:deploy: module api is an image module of the release of the reactor root tdep-relowner-root, deployed at the end of the reactor') : log
    def last = (log =~ /Deploying the release of tdep-relowner-root now: (api|web|lib) is the last module of the reactor to reach deployer:deploy/)
    assert last.find() : log
    assert log.count('[INFO] Deployed and verified:') == 1 : 'one deploy for the release:\n' + log
    // after both pushes: the release's deploy starts after each module's image is in the registry
    def deployAt = log.indexOf("Deploying the release of tdep-relowner-root (${sha1})")
    assert deployAt > 0 : log
    ['api', 'web'].each { m ->
        def pushed = log.indexOf("[INFO] Image 127.0.0.1:5443/timage/tdep-relowner-${m}:${sha1} ")
        assert pushed > 0 && pushed < deployAt : "${m} pushed after the deploy started:\n" + log
    }
    assert log.contains("[INFO]   images:   api=127.0.0.1:5443/timage/tdep-relowner-api@${release1.api}, web=127.0.0.1:5443/timage/tdep-relowner-web@${release1.web}") : log
    assert get('http://127.0.0.1:18721/health') == [200, "api ${sha1}".toString()]
    assert get('http://127.0.0.1:18722/health') == [200, "web ${sha1}".toString()]
    def records = history()
    assert records.size() == 1 : records
    def images = new groovy.json.JsonSlurper().parseText(records[0]['dev.deployer.images'])
    assert images == [api: "127.0.0.1:5443/timage/tdep-relowner-api@${release1.api}".toString(),
                      web: "127.0.0.1:5443/timage/tdep-relowner-web@${release1.web}".toString()] : images

    // 2. web's push fails: web's build fails, so it never reaches deployer:deploy and nothing is deployed
    def webPom = new File(basedir, 'web/pom.xml')
    webPom.text = webPom.text.replace('127.0.0.1:5443/timage/tdep-relowner-web', '127.0.0.1:1/timage/tdep-relowner-web')
    git 'commit', '-q', '-am', 'web pushes to a registry that refuses'
    def (code2, out2) = mvn('push-fails', ['deploy', '-Pqa', '--fail-at-end'])
    assert code2 != 0 : out2
    assert out2 =~ /web \.+ FAILURE/ : out2
    assert out2 =~ /lib \.+ SUCCESS/ : out2
    assert out2.contains('[WARNING] The release of tdep-relowner-root is not deployed: module web failed before reaching'
            + ' deployer:deploy; nothing was deployed, the previous release keeps running') : out2
    assert !out2.contains('Deploying the release of tdep-relowner-root') : out2
    assert history().size() == 1
    assert running('api').endsWith(release1.api) && running('web').endsWith(release1.web)
    assert get('http://127.0.0.1:18722/health') == [200, "web ${sha1}".toString()]
} finally {
    cleanup()
}
return true
