// A reactor as one release on Compose (api + web, owned by tdep-release-stack), each step a real Maven run:
// 1. the invoker's `deploy -Pqa -T 2`: both images pushed, then ONE deploy of both in order (web started only once api
//    was healthy, from the engine's events), one history record listing both;
// 2. release 2 whose web is unhealthy: refused, api healthy on it before web started, then web restored before api
//    (the engine's events), BOTH services back on release 1's digests and serving;
// 3. release 3 deployed, then `deployer:rollback`: the whole release 1 again (every service, by digest);
// 4. promotion `-pl stack -am -Ddeployer.release=<sha3>`: no Jib, exactly the digests release 3's build pushed;
// 5. a module whose push fails (a registry refusing): nothing deployed, release 3 keeps serving; `-pl` the owner alone
//    then refuses the stale image of web, naming the module.
def stack = 'tdep-release-stack-qa'
evaluate(new File(hooks, 'release-reactor.groovy'))  // run, get, git, mvn, digests, breakWeb, engine events
def running = { String service -> composeRunning(stack, service) }
def history = { -> composeHistory(stack) }
try {
    // 1. the invoker's run: one release of both images
    def sha1 = git('rev-parse', 'HEAD')
    def log = new File(basedir, 'build.log').text
    def release1 = digests()
    assert log.contains("Skipping deployer:deploy: module api is an image module of the release of tdep-release-stack") : log
    assert log.contains("Deploying the release of tdep-release-stack (${sha1}) to stack '${stack}'") : log
    assert log.contains("#   api = 127.0.0.1:5443/timage/tdep-release-api@${release1.api}") || log.contains("api=127.0.0.1:5443/timage/tdep-release-api@${release1.api}") : log
    assert log.count('[INFO] Deployed and verified:') == 1 : 'one deploy for the release:\n' + log
    assert log.contains("[INFO]   images:   api=127.0.0.1:5443/timage/tdep-release-api@${release1.api}, web=127.0.0.1:5443/timage/tdep-release-web@${release1.web}") : log
    assert get('http://127.0.0.1:18711/health') == [200, "api ${sha1}".toString()]
    assert get('http://127.0.0.1:18712/health') == [200, "web ${sha1}".toString()]
    assertInOrder(stack, 0L, release1)
    def records = history()
    assert records.size() == 1 : records
    def images = new groovy.json.JsonSlurper().parseText(records[0]['dev.deployer.images'])
    assert images == [api: "127.0.0.1:5443/timage/tdep-release-api@${release1.api}".toString(),
                      web: "127.0.0.1:5443/timage/tdep-release-web@${release1.web}".toString()] : images

    // 2. release 2: web unhealthy -> refused, both services back on release 1
    breakWeb(true)
    git 'commit', '-q', '-am', 'break web'
    def from2 = System.currentTimeMillis()
    def (code2, out2) = mvn('release-2', ['deploy', '-Pqa', '-T', '2'])
    assert code2 != 0 : 'the unhealthy release was deployed:\n' + out2
    assert out2.contains('Rolled back and verified healthy:') : out2
    assertRestoredInReverse(stack, from2, digests(), release1)
    assert running('api').endsWith(release1.api) && running('web').endsWith(release1.web) : "${running('api')} ${running('web')}"
    assert get('http://127.0.0.1:18711/health') == [200, "api ${sha1}".toString()]
    assert get('http://127.0.0.1:18712/health') == [200, "web ${sha1}".toString()]

    // 3. release 3 deployed, then deployer:rollback: the whole release 1 (release 2 failed, so it is the previous good one)
    breakWeb(false)
    git 'commit', '-q', '-am', 'fix web'
    def sha3 = git('rev-parse', 'HEAD')
    def (code3, out3) = mvn('release-3', ['deploy', '-Pqa', '-T', '2'])
    assert code3 == 0 : out3
    def release3 = digests()
    assert release3.api != release1.api && release3.web != release1.web
    assert get('http://127.0.0.1:18711/health') == [200, "api ${sha3}".toString()]
    def (codeR, outR) = mvn('rollback', ['deployer:rollback', '-Pqa'])
    assert codeR == 0 : outR
    assert running('api').endsWith(release1.api) && running('web').endsWith(release1.web) : "${running('api')} ${running('web')}"
    assert get('http://127.0.0.1:18711/health') == [200, "api ${sha1}".toString()]
    assert get('http://127.0.0.1:18712/health') == [200, "web ${sha1}".toString()]

    // 4. promotion of release 3 (the owner and what it needs: -pl stack -am): no Jib run, exactly the digests its build pushed
    ['api', 'web'].each { new File(basedir, "${it}/target/deployer/image.json").delete() }
    def (codeP, outP) = mvn('promote', ['deploy', '-Pqa', '-T', '2', '-pl', 'stack', '-am', "-Ddeployer.release=${sha3}".toString(),
            "-Ddeployer.release.digests=${release3.collect { m, d -> "127.0.0.1:5443/timage/tdep-release-${m}@${d}" }.join(' ')}".toString()])
    assert codeP == 0 : outP
    assert !outP.contains('Building image') : 'Jib ran:\n' + outP
    assert outP.contains("Promoted 127.0.0.1:5443/timage/tdep-release-api:${sha3}@${release3.api}") : outP
    assert outP.contains("Promoted 127.0.0.1:5443/timage/tdep-release-web:${sha3}@${release3.web}") : outP
    assert digests() == release3
    assert running('api').endsWith(release3.api) && running('web').endsWith(release3.web)
    assert get('http://127.0.0.1:18712/health') == [200, "web ${sha3}".toString()]

    // 5. web's push fails (a registry refusing the connection): nothing deployed, release 3 keeps serving
    def webPom = new File(basedir, 'web/pom.xml')
    webPom.text = webPom.text.replace('127.0.0.1:5443/timage/tdep-release-web', '127.0.0.1:1/timage/tdep-release-web')
    git 'commit', '-q', '-am', 'web pushes to a registry that refuses'
    def (code5, out5) = mvn('push-fails', ['deploy', '-Pqa', '-T', '2'])
    assert code5 != 0 : out5
    assert out5 =~ /tdep-release-stack \.+ SKIPPED/ : out5
    assert !out5.contains("Deploying the release of tdep-release-stack") : out5
    assert running('api').endsWith(release3.api) && running('web').endsWith(release3.web)
    assert get('http://127.0.0.1:18712/health') == [200, "web ${sha3}".toString()]
    // the owner alone now finds web's image.json of an earlier commit: refused, naming the module
    def (codeS, outS) = mvn('stale', ['deployer:deploy', '-Pqa', '-pl', 'stack'])
    assert codeS != 0 : outS
    // (under -T 2 a failing module may stop api's build too: whichever image is of an earlier commit is named)
    assert outS =~ /The image of module (api|web) is stale: it was built for [0-9a-f]{40}, not for this release's commit/ : outS
    assert outS.contains('nothing was deployed') : outS
    assert running('web').endsWith(release3.web)
} finally {
    stopEngineEvents()
    composeCleanup(stack)
}
return true
