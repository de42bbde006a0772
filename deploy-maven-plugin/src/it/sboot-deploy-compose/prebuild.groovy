// A fresh commit (so a fresh tag) in the IT's own repository; the stack of an earlier, interrupted run removed.
def run = { List<String> cmd -> def p = cmd.execute(); def out = p.text.trim(); p.waitFor(); out }
def old = run(['docker', 'ps', '-aq', '--filter', 'label=com.docker.compose.project=sboot-springboot-qa'])
def records = run(['docker', 'ps', '-aq', '--filter', 'label=dev.deployer.stack=sboot-springboot-qa'])
def all = (old.readLines() + records.readLines()).findAll { it }
if (all) run(['docker', 'rm', '-f'] + all)
['sboot-springboot-qa_frontend', 'sboot-springboot-qa_backend'].each { run(['docker', 'network', 'rm', it]) }
run(['docker', 'volume', 'rm', 'sboot-springboot-qa_redis-data'])
evaluate(new File(hooks, 'own-git-repository.groovy'))
