// The image modules' sources are release-reactor-compose's (the same two tiny HTTP services), copied, not kept twice.
['api', 'web'].each { m ->
    def from = new File(hooks, "../release-reactor-compose/${m}/src")
    assert from.isDirectory() : from
    from.eachFileRecurse(groovy.io.FileType.FILES) { source ->
        def copy = new File(basedir, "${m}/src/" + from.toPath().relativize(source.toPath()))
        copy.parentFile.mkdirs()
        copy.bytes = source.bytes
    }
}
// What an earlier, interrupted run may have left: this IT's own stacks and their lock and history records.
evaluate(new File(hooks, 'release-reactor.groovy'))
def stacks = ['tdep-relswarm-stack-qa', 'tdep-relswarm-qnt']
stacks.each { stack ->
    run(['docker', 'stack', 'rm', stack])
    def configs = run(['docker', 'config', 'ls', '-q', '--filter', "label=dev.deployer.stack=${stack}"]).readLines().findAll { it }
    if (configs) run(['docker', 'config', 'rm'] + configs)
}
def deadline = System.currentTimeMillis() + 120_000
while (stacks.any { run(['docker', 'ps', '-aq', '--filter', "label=com.docker.stack.namespace=${it}"]) }) {
    assert System.currentTimeMillis() < deadline : "the earlier run's stacks ${stacks} are not gone after 120 s"
    Thread.sleep(500) // poll interval of a bounded wait for a condition, not synchronisation by sleeping
}
evaluate(new File(hooks, 'own-git-repository.groovy'))
// the engine's own account of the invoker's deploy and of verify.groovy's (verify.groovy ends it)
recordEngineEvents()
return true
