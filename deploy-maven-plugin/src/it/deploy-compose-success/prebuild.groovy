// image.json as deployer:build writes it, naming the CI Redis image (already in the registry) by its digest.
evaluate(new File(hooks, 'image-json-ci-redis.groovy'))
// lock and history records an earlier, killed run may have left on the engine (named volumes of this stack)
def stale = ['docker', 'volume', 'ls', '-q', '--filter', 'label=dev.deployer.stack=tdep-it-compose'].execute().text.readLines().findAll { it }
if (stale) {
    (['docker', 'volume', 'rm', '--force'] + stale).execute().waitFor()
}
