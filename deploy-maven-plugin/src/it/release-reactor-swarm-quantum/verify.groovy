// A reactor as one release on Swarm and on the quantum-cli stand-in (api + web, owned by tdep-relswarm-stack; web
// depends_on api, so two phases). The images of each commit are built and pushed once, by the Swarm steps; the quantum
// stack gets the same commits by promotion (-Ddeployer.release: no Jib), from a clone of the IT project (its own
// target/), at the same time as the Swarm steps: two stacks, two ports each. Each step a real Maven run:
// Swarm (stack tdep-relswarm-stack-qa, the IT project):
//   S1 the invoker's `deploy -Pqa -T 2`: both images pushed, ONE deploy in order (web started only once api was healthy,
//      from the engine's events), one history record listing both;
//   S2 release 2 whose web is unhealthy: refused, api was healthy on release 2 before web started, then restored in
//      reverse order, BOTH services on release 1's digests and serving;
//   S3 release 3 built and pushed by the build job alone (`package -Pqa -T 2`), then promoted
//      (`deploy -pl stack -am -Ddeployer.release=<sha3>`): no Jib, exactly the digests the build pushed;
//   S4 `deployer:rollback`: the whole release 1 again (every service, by digest);
// Quantum (stack tdep-relswarm-qnt, the stand-in with quantum-cli 2's `stacks update`; the clone; Q2 waits until S2's
// images are pushed, Q3 until S3's):
//   Q1 promotion of release 1 (`deployer:build deployer:deploy -Ddeployer.release=<sha1>`), in order (engine events),
//      each phase a `stacks update`;
//   Q2 promotion of release 2 (web unhealthy): refused, both services back on release 1, serving;
//   Q3 promotion of release 3 with the digests the build pushed, then `deployer:rollback`: release 1 again;
// Both, each in its checkout: a module whose push fails (a registry refusing): nothing deployed, the stand-in not asked.
evaluate(new File(hooks, 'release-reactor.groovy'))
def swarm = 'tdep-relswarm-stack-qa'
def qnt = 'tdep-relswarm-qnt'
def repository = { String m -> "127.0.0.1:5443/timage/tdep-relswarm-${m}".toString() }

// the quantum-cli stand-in (src/test/quantum-cli), as QuantumStandIn installs it: a wrapper naming the flavor, the
// "platform" (the endpoint, the SHA-256 of this run's test-only API key) and the invocation log
def standInDir = new File(basedir, 'target/quantum-standin')
standInDir.mkdirs()
def apiKey = "tqnt-key-${UUID.randomUUID()}".toString()
def keyHash = java.security.MessageDigest.getInstance('SHA-256').digest(apiKey.getBytes('UTF-8')).encodeHex().toString()
new File(standInDir, 'platform.json').text = """{"endpoints": ["tqnt-relswarm"], "apiKeys": ["${keyHash}"], "users": {}}\n"""
def invocations = new File(standInDir, 'invocations.log')
def standIn = new File(standInDir, 'quantum-cli')
standIn.text = """#!/bin/sh
QUANTUM_CLI_FLAVOR=v2 QUANTUM_STANDIN_PLATFORM='${standInDir}/platform.json' QUANTUM_STANDIN_LOG='${invocations}' \
exec /usr/bin/python3 '${new File(hooks, '../../test/quantum-cli/quantum-cli').canonicalPath}' "\$@"
"""
standIn.setExecutable(true)
// the quantum runs install nothing into the local repository the Swarm runs install into at the same time
def quantum = ['-Dmaven.install.skip=true', '-Ddeployer.target=quantum', "-Ddeployer.stack=${qnt}".toString(), "-Ddeployer.quantumCli=${standIn}".toString(),
               '-Ddeployer.var.apiPort=18733', '-Ddeployer.var.webPort=18734']
// lock and history as Swarm configs of the stand-in's engine (as with a manager of a real endpoint's Swarm)
def quantumEnv = [QUANTUM_API_KEY: apiKey, QUANTUM_ENDPOINT: 'tqnt-relswarm',
                  DOCKER_HOST: System.getenv('DOCKER_HOST') ?: 'unix:///var/run/docker.sock']
def ports = [(swarm): [api: 18731, web: 18732], (qnt): [api: 18733, web: 18734]]

def answers = { String stack, String sha ->
    ['api', 'web'].every { m -> get("http://127.0.0.1:${ports[stack][m]}/health") == [200, "${m} ${sha}".toString()] }
}
// what each service of `stack` runs: its spec's image and every running container's, each ending with the digest
def running = { String stack, String service ->
    def spec = run(['docker', 'service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', "${stack}_${service}".toString()])
    def containers = run(['docker', 'ps', '-q', '--filter', "label=com.docker.swarm.service.name=${stack}_${service}".toString()])
            .readLines().findAll { it }
    [spec] + containers.collect { run(['docker', 'inspect', '--format', '{{.Config.Image}}', it]) }
}
def runs = { String stack, Map release ->
    ['api', 'web'].every { s -> def images = running(stack, s); images.size() >= 2 && images.every { it.endsWith(release[s]) } }
}
def describe = { String stack -> ['api', 'web'].collect { s -> "${s}: ${running(stack, s)}" }.join('; ') }
def history = { String stack ->
    run(['docker', 'config', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}".toString(), '--filter', 'label=dev.deployer.kind=history'])
            .readLines().findAll { it }.collect { id ->
        new groovy.json.JsonSlurper().parseText(run(['docker', 'config', 'inspect', '--format', '{{json .Spec.Labels}}', id])) }
}
// hands `release` [sha:, digests:] as soon as a build's log says both images of `sha` are pushed (the quantum steps
// promote them while the Swarm deploy of that build still runs); the caller checks them against image.json
def whenPushed = { String sha, java.util.concurrent.CompletableFuture release ->
    def pushed = [:]
    return { String line ->
        def m = line =~ /^\[INFO\] Image 127\.0\.0\.1:5443\/timage\/tdep-relswarm-(api|web):${sha} (sha256:[0-9a-f]{64}): pushed/
        if (m) {
            pushed[m[0][1]] = m[0][2]
            if (pushed.size() == 2) {
                release.complete([sha: sha, digests: new LinkedHashMap(pushed)])
            }
        }
    }
}
// web's push fails (a registry refusing the connection): the owner is skipped, nothing is deployed
def pushFails = { String name, File dir, List<String> args, Map<String, String> env ->
    def webPom = new File(dir, 'web/pom.xml')
    webPom.text = webPom.text.replace('127.0.0.1:5443/timage/tdep-relswarm-web', '127.0.0.1:1/timage/tdep-relswarm-web')
    gitAt dir, 'commit', '-q', '-am', 'web pushes to a registry that refuses'
    def (code, out) = mvn(name, ['deploy', '-Pqa', '-T', '2'] + args, env, dir)
    assert code != 0 : out
    assert out =~ /tdep-relswarm-stack \.+ SKIPPED/ : out
    assert !out.contains('Deploying the release of tdep-relswarm-stack') : out
}
def cleanup = {
    stopEngineEvents()
    [swarm, qnt].each { stack ->
        run(['docker', 'stack', 'rm', stack])
        def configs = run(['docker', 'config', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}".toString()]).readLines().findAll { it }
        if (configs) run(['docker', 'config', 'rm'] + configs)
    }
}
// the quantum steps' checkout: a clone of the IT project (same depth, so the parent's relativePath holds)
def qntDir = new File(basedir.parentFile, "${basedir.name}-quantum")
qntDir.deleteDir()
gitAt basedir.parentFile, 'clone', '-q', basedir.path, qntDir.path
def release2 = new java.util.concurrent.CompletableFuture()  // [sha:, digests:] once S2 pushed release 2
def release3 = new java.util.concurrent.CompletableFuture()
Throwable quantumFailure = null
def sha1 = git('rev-parse', 'HEAD')
def release1 = digests()
def started = System.currentTimeMillis()

def quantumSteps = {
    // a deploy job's promotion as goals (no compile, no jar: nothing Jib would need): each image module's
    // deployer:build promotes <image>:<sha> from the registry, then the owner's deployer:deploy deploys the release
    def promote = { String name, String sha, Map release ->
        mvn(name, ['-Pqa', 'deployer:build', 'deployer:deploy', "-Ddeployer.release=${sha}".toString(),
                   "-Ddeployer.release.digests=${release.collect { m, d -> "${repository(m)}@${d}" }.join(' ')}".toString()] + quantum,
                quantumEnv, qntDir)
    }
    // Q1. release 1 by promotion, in order, each phase one `stacks update` of the stand-in
    def from = System.currentTimeMillis()
    def (codeQ1, outQ1) = promote('quantum-release-1', sha1, release1)
    assert codeQ1 == 0 : outQ1
    assert !outQ1.contains('Building image') : 'Jib ran:\n' + outQ1
    assert outQ1.contains("Promoted ${repository('web')}:${sha1}@${release1.web}") : outQ1
    assert outQ1.contains("Deploying the release of tdep-relswarm-stack (${sha1}) to stack '${qnt}'") : outQ1
    assert digests(qntDir) == release1
    assert runs(qnt, release1) : describe(qnt)
    assert answers(qnt, sha1)
    assertInOrder(qnt, from, release1)
    def updates = invocations.readLines().collect { new groovy.json.JsonSlurper().parseText(it).argv }
            .findAll { it.size() >= 2 && it[0..1] == ['stacks', 'update'] }
    assert updates.any { it.containsAll(['--environment', 'qa-phase-1']) } && updates.any { !it.contains('--environment') } : updates
    assert history(qnt).size() == 1

    // Q2. release 2 (web unhealthy) by promotion: refused, both back on release 1, restored in reverse phase order
    def r2 = release2.get(20, java.util.concurrent.TimeUnit.MINUTES)
    from = System.currentTimeMillis()
    def (codeQ2, outQ2) = promote('quantum-release-2', r2.sha, r2.digests)
    assert codeQ2 != 0 : 'the unhealthy release was deployed:\n' + outQ2
    assert outQ2.contains('Rolled back and verified healthy:') : outQ2
    assert runs(qnt, release1) : describe(qnt)
    assert answers(qnt, sha1)
    assertRestoredInReverse(qnt, from, r2.digests, release1)

    // Q3. release 3 by promotion (exactly what its build pushed), then deployer:rollback: the whole release 1
    def r3 = release3.get(20, java.util.concurrent.TimeUnit.MINUTES)
    def (codeQ3, outQ3) = promote('quantum-release-3', r3.sha, r3.digests)
    assert codeQ3 == 0 : outQ3
    assert !outQ3.contains('Building image') : 'Jib ran:\n' + outQ3
    assert digests(qntDir) == r3.digests
    assert runs(qnt, r3.digests) : describe(qnt)
    assert answers(qnt, r3.sha)
    def (codeQR, outQR) = mvn('quantum-rollback', ['deployer:rollback', '-Pqa'] + quantum, quantumEnv, qntDir)
    assert codeQR == 0 : outQR
    assert runs(qnt, release1) : describe(qnt)
    assert answers(qnt, sha1)

    // a failed push: the stand-in is not even asked, release 1 keeps serving
    def asked = invocations.readLines().size()
    pushFails('quantum-push-fails', qntDir, ['-pl', 'web,stack'] + quantum, quantumEnv)
    assert invocations.readLines().size() == asked : 'the stand-in was asked: ' + invocations.readLines().drop(asked)
    assert runs(qnt, release1) : describe(qnt)
    assert answers(qnt, sha1)
}
def quantumThread = Thread.start('relswarm-quantum-steps') {
    try {
        quantumSteps()
    } catch (Throwable failure) {
        quantumFailure = failure
    }
}

try {
    try {
        // S1. the invoker's run: one release of both images, deployed in order
        def log = new File(basedir, 'build.log').text
        assert log.contains("Skipping deployer:deploy: module api is an image module of the release of tdep-relswarm-stack") : log
        assert log.contains("Deploying the release of tdep-relswarm-stack (${sha1}) to stack '${swarm}'") : log
        assert log.count('[INFO] Deployed and verified:') == 1 : 'one deploy for the release:\n' + log
        assert log.contains("[INFO]   images:   api=${repository('api')}@${release1.api}, web=${repository('web')}@${release1.web}") : log
        assert answers(swarm, sha1)
        assert runs(swarm, release1) : describe(swarm)
        assertInOrder(swarm, 0L, release1)
        def records = history(swarm)
        assert records.size() == 1 : records
        assert new groovy.json.JsonSlurper().parseText(records[0]['dev.deployer.images']) ==
                [api: "${repository('api')}@${release1.api}".toString(), web: "${repository('web')}@${release1.web}".toString()]

        // S2. release 2: web unhealthy -> refused, both services back on release 1, restored in reverse phase order
        breakWeb(true)
        git 'commit', '-q', '-am', 'break web'
        def sha2 = git('rev-parse', 'HEAD')
        def from = System.currentTimeMillis()
        def (code2, out2) = mvn('swarm-release-2', ['deploy', '-Pqa', '-T', '2'], [:], basedir, whenPushed(sha2, release2))
        def digests2 = digests()
        assert new groovy.json.JsonSlurper().parse(new File(basedir, 'web/target/deployer/image.json')).tags == [sha2]
        assert release2.isDone() && release2.get().digests == digests2 : "pushed as logged: ${release2}, image.json: ${digests2}"
        assert code2 != 0 : 'the unhealthy release was deployed:\n' + out2
        assert out2.contains('Rolled back and verified healthy:') : out2
        assert digests2.api != release1.api && digests2.web != release1.web
        assert runs(swarm, release1) : describe(swarm)
        assert answers(swarm, sha1)
        assertRestoredInReverse(swarm, from, digests2, release1)

        // S3. release 3: the build job alone (`package -Pqa`: images built and pushed, nothing deployed), then its
        //     promotion (-pl stack -am -Ddeployer.release): no Jib run, exactly the digests the build pushed
        breakWeb(false)
        git 'commit', '-q', '-am', 'fix web'
        def sha3 = git('rev-parse', 'HEAD')
        def (codeB, outB) = mvn('swarm-build-3', ['package', '-Pqa', '-T', '2'], [:], basedir, whenPushed(sha3, release3))
        assert codeB == 0 : outB
        assert !outB.contains('Deploying the release') : outB
        def digests3 = digests()
        assert release3.isDone() && release3.get().digests == digests3 : "pushed as logged: ${release3}, image.json: ${digests3}"
        assert digests3.api != release1.api && digests3.web != release1.web
        def pushed3 = digests3.collect { m, d -> "${repository(m)}@${d}" }.join(' ')
        ['api', 'web'].each { new File(basedir, "${it}/target/deployer/image.json").delete() }
        def (codeP, outP) = mvn('swarm-promote-3', ['deploy', '-Pqa', '-T', '2', '-pl', 'stack', '-am',
                "-Ddeployer.release=${sha3}".toString(), "-Ddeployer.release.digests=${pushed3}".toString()])
        assert codeP == 0 : outP
        assert !outP.contains('Building image') : 'Jib ran:\n' + outP
        assert outP.contains("Promoted ${repository('api')}:${sha3}@${digests3.api}") : outP
        assert digests() == digests3
        assert runs(swarm, digests3) : describe(swarm)
        assert answers(swarm, sha3)

        // S4. deployer:rollback: the whole release 1 (release 2 failed: the previous good one)
        def (codeR, outR) = mvn('swarm-rollback', ['deployer:rollback', '-Pqa'])
        assert codeR == 0 : outR
        assert runs(swarm, release1) : describe(swarm)
        assert answers(swarm, sha1)

        // a failed push: release 1 keeps serving
        pushFails('swarm-push-fails', basedir, ['-pl', 'web,stack'], [:])
        assert runs(swarm, release1) : describe(swarm)
        assert answers(swarm, sha1)
    } finally {
        def ended = new IllegalStateException('not built: the Swarm steps failed before')
        release2.completeExceptionally(ended)
        release3.completeExceptionally(ended)
        quantumThread.join(20 * 60 * 1000L)
        println "release-reactor-swarm-quantum: the Swarm steps and the quantum steps took ${(System.currentTimeMillis() - started) / 1000} s"
    }
    if (quantumFailure != null) {
        throw quantumFailure
    }
} finally {
    cleanup()
}
return true
