// The reactor root owns the release (releaseOwner=root), on Compose, each step a real Maven run:
// 1. the invoker's `deploy -Pqa -T 2`: the root (built first) defers its deploy; api and web push their images; the
//    module reaching deployer:deploy last deploys the root's release once, after both pushes (one history record);
// 2. web's push fails (a registry refusing the connection), with --fail-at-end so that lib still builds: nothing
//    deployed, lib (the last to reach deployer:deploy) says why, release 1 keeps serving.
def stack = 'tdep-relowner-root-qa'
evaluate(new File(hooks, 'release-reactor.groovy'))  // run, get, git, mvn, digests, the Compose project's state
def running = { String service -> composeRunning(stack, service) }
def history = { -> composeHistory(stack) }
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
    composeCleanup(stack)
}
return true
