// The build must fail with the problem, its location and the fix, as Maven prints them.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the render did not fail'
assert log[failed].endsWith('(default-cli) on project render-top-level-name: ' + '''target/deployer/production/stack.yml:2:1: Stack rule failed: top-level name: is not allowed in a Swarm/Quantum stack (docker stack deploy and Quantum reject it) (rendered from src/main/deploy/stack.yml.vm)''') : log[failed]
assert log[failed + 1] == '[ERROR]   Fix: ' + '''remove the top-level name: from src/main/deploy/stack.yml.vm; the stack name is given at deploy time'''

return true
