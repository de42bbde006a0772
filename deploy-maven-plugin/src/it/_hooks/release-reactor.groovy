// Shared by the release-reactor-* ITs (a reactor of the image modules api and web and a release owner), evaluated from
// their scripts: evaluate(new File(hooks, 'release-reactor.groovy')). It puts closures into the script's binding:
//   run(argv)              a command's trimmed stdout
//   get(url)               [status, body] of a GET
//   git(args...)           git in the IT project, its output (fails the IT when git fails); gitAt(dir, args...) elsewhere
//   mvn(name, args[, env[, dir[, onLine]]]) Maven again as the invoker ran it (same Maven, settings, local repository,
//                          registry credential), more environment in `env`, in `dir` (default: the IT project), each
//                          output line also handed to `onLine` as it comes; [exit code, output], kept in DIR/target/NAME.log
//   digests([dir])         [api: digest, web: digest] of the modules' target/deployer/image.json
//   composeRunning(project, service)  the image (repository@digest) the Compose project's running service container has
//   composeHistory(project) the labels of the project's Deployer history records (volumes)
//   composeCleanup(project) removes the project's containers, Deployer records and default network
//   breakWeb(broken)       web's /health answers 500 (true) or 200 again (false); commit it yourself
//   recordEngineEvents()   starts a `docker events` stream of every container start and health event into
//                          target/engine-events.jsonl (ended by stopEngineEvents(), at the latest by itself after 30 min)
//   engineEvents(stack, from) that stream's events of one stack (a Swarm stack or a Compose project) since `from` (epoch
//                          millis), each [service, status, image, nanos] in the engine's order (never from the deploy's log)
//   assertInOrder(stack, from, release)   web's container of `release` ([api: digest, web: digest]) started only after
//                          api's was healthy
//   assertRestoredInReverse(stack, from, failed, previous)   a release whose web (the second phase/group) failed: api
//                          healthy on it before web started, then web back on `previous` (healthy) before api restarted
def runCommand = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
run = runCommand
get = { String url ->
    def c = (HttpURLConnection) new URL(url).openConnection()
    c.connectTimeout = 3000; c.readTimeout = 3000
    def code = c.responseCode
    def body = (code < 400 ? c.inputStream : c.errorStream)?.text
    [code, body]
}
gitAt = { File dir, String... args ->
    def p = (['git', '-c', 'user.email=it@deployer.dev', '-c', 'user.name=it', '-c', 'commit.gpgsign=false'] + args.toList())
            .execute(null, dir)
    def out = new StringBuilder(); p.waitForProcessOutput(out, out)
    assert p.exitValue() == 0 : "git ${args.join(' ')} failed: ${out}"
    out.toString().trim()
}
git = { String... args -> gitAt(basedir, args) }
def settings = new File(basedir, 'target/it-settings.xml')
mvn = { String name, List<String> args, Map<String, String> env = [:], File dir = basedir, Closure onLine = null ->
    synchronized (settings) {
        if (!settings.exists()) {
            settings.parentFile.mkdirs()
            settings.text = new File(hooks, '../settings.xml').text.replace('@localRepositoryUrl@', new File(userLocalRepository).toURI().toString())
        }
    }
    def command = [new File(System.getProperty('maven.home'), 'bin/mvn').path, '-B', '-s', settings.path,
                   "-Dmaven.repo.local=${localRepositoryPath}".toString()] + args
    def pb = new ProcessBuilder(command).directory(dir).redirectErrorStream(true)
    pb.environment().put('DEPLOYER_REGISTRY_USERNAME', 'deployer')
    pb.environment().put('DEPLOYER_REGISTRY_PASSWORD', 'deployer-ci-password')
    pb.environment().remove('MAVEN_ARGS')
    pb.environment().putAll(env)
    def process = pb.start()
    def output = new StringBuilder()
    process.inputStream.eachLine('UTF-8') { String line ->
        output.append(line).append('\n')
        if (onLine != null) {
            onLine(line)
        }
    }
    process.waitFor()
    def out = output.toString()
    def log = new File(dir, "target/${name}.log")
    log.parentFile.mkdirs()
    log.text = out
    [process.exitValue(), out]
}
digests = { File dir = basedir -> ['api', 'web'].collectEntries { m ->
    def record = new groovy.json.JsonSlurper().parse(new File(dir, "${m}/target/deployer/image.json"))
    [(m): record.digest] } }
composeRunning = { String project, String service ->
    def id = runCommand(['docker', 'ps', '-q', '--filter', "label=com.docker.compose.project=${project}",
                         '--filter', "label=com.docker.compose.service=${service}"])
    runCommand(['docker', 'inspect', '--format', '{{.Config.Image}}', id])
}
composeHistory = { String project ->
    runCommand(['docker', 'volume', 'ls', '-q', '--filter', "label=dev.deployer.stack=${project}", '--filter', 'label=dev.deployer.kind=history'])
            .readLines().findAll { it }.collect { name ->
        new groovy.json.JsonSlurper().parseText(runCommand(['docker', 'volume', 'inspect', '--format', '{{json .Labels}}', name])) }
}
composeCleanup = { String project ->
    def containers = runCommand(['docker', 'ps', '-aq', '--filter', "label=com.docker.compose.project=${project}"])
    def records = runCommand(['docker', 'ps', '-aq', '--filter', "label=dev.deployer.stack=${project}"])
    def all = (containers.readLines() + records.readLines()).findAll { it }
    if (all) runCommand(['docker', 'rm', '-f'] + all)
    def volumes = runCommand(['docker', 'volume', 'ls', '-q', '--filter', "label=dev.deployer.stack=${project}"]).readLines().findAll { it }
    if (volumes) runCommand(['docker', 'volume', 'rm', '-f'] + volumes)
    runCommand(['docker', 'network', 'rm', "${project}_default".toString()])
}
breakWeb = { boolean broken ->
    def source = new File(basedir, 'web/src/main/java/com/acme/web/Web.java')
    source.text = source.text.replace(broken ? 'HEALTHY = true' : 'HEALTHY = false', broken ? 'HEALTHY = false' : 'HEALTHY = true')
}

def eventsFile = new File(basedir, 'target/engine-events.jsonl')
def eventsPid = new File(basedir, 'target/engine-events.pid')
recordEngineEvents = { ->
    eventsFile.parentFile.mkdirs()
    def now = System.currentTimeMillis()
    // the engine keeps only its last 256 events (shared by every test on it): too few to read a deploy back later
    def argv = ['docker', 'events', '--since', String.format('%d.%03d', (long) (now / 1000) - 1, now % 1000),
                '--until', String.valueOf((long) (now / 1000) + 1800),
                '--filter', 'type=container',
                '--filter', 'event=start', '--filter', 'event=health_status', '--format', '{{json .}}']
    def process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(eventsFile).start()
    eventsPid.text = String.valueOf(process.pid())
}
stopEngineEvents = { ->
    if (eventsPid.exists()) {
        runCommand(['kill', eventsPid.text.trim()])
        eventsPid.delete()
    }
}
engineEvents = { String stack, long from ->
    assert eventsPid.exists() && runCommand(['ps', '-o', 'comm=', '-p', eventsPid.text.trim()]) == 'docker' :
            'the docker events stream ended by itself: ' + (eventsFile.exists() ? eventsFile.text : '')
    def json = new groovy.json.JsonSlurper()
    eventsFile.readLines().findAll { it.startsWith('{') }.collect { json.parseText(it) }.findAll { e ->
        def labels = e.Actor?.Attributes ?: [:]
        (labels.get('com.docker.stack.namespace') == stack || labels.get('com.docker.compose.project') == stack) &&
                (e.timeNano as long) >= from * 1_000_000L
    }.collect { e ->
        def labels = e.Actor.Attributes
        def service = labels.get('com.docker.compose.service') ?: ((labels.get('com.docker.swarm.service.name') ?: '') - "${stack}_")
        [service: service, status: e.status ?: e.Action, image: labels.image ?: '', nanos: e.timeNano as long]
    }
}
def first = { List events, String service, String status, String digest, long after = 0L ->
    events.find { it.service == service && it.status.startsWith(status) && it.image.contains(digest) && it.nanos > after }
}
def timeline = { List events -> events.collect { e ->
    "\n  ${e.nanos} ${e.service} ${e.status} ${e.image.replaceFirst(/.*@sha256:(.{12}).*/, 'sha256:$1')}" }.join() }
assertInOrder = { String stack, long from, Map release ->
    def events = engineEvents(stack, from)
    def apiHealthy = first(events, 'api', 'health_status: healthy', release.api)
    def webStarted = first(events, 'web', 'start', release.web)
    assert apiHealthy && webStarted && apiHealthy.nanos < webStarted.nanos : "web started before api was healthy: ${timeline(events)}"
}
assertRestoredInReverse = { String stack, long from, Map failed, Map previous ->
    def events = engineEvents(stack, from)
    def apiNew = first(events, 'api', 'health_status: healthy', failed.api)
    def webNew = first(events, 'web', 'start', failed.web)
    assert apiNew && webNew && apiNew.nanos < webNew.nanos : "web's phase began before api's was healthy: ${timeline(events)}"
    def webBack = first(events, 'web', 'health_status: healthy', previous.web, webNew.nanos)
    def apiBack = first(events, 'api', 'start', previous.api, webNew.nanos)
    assert webBack && apiBack && webBack.nanos < apiBack.nanos : "not restored web first, then api: ${timeline(events)}"
}
return true
