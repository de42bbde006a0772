// The build must fail with the problem, its location and the fix, as Maven prints them.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the render did not fail'
assert log[failed].endsWith('(default-cli) on project render-undeclared-secret: ' + '''src/main/deploy/stack.yml.vm:8:33: Undeclared secret $secrets.REDIS_PASWORD''') : log[failed]
assert log[failed + 1] == '[ERROR]   Fix: ' + '''declare it in the plugin's <secrets><secret>REDIS_PASWORD</secret></secrets>; its value then comes only from the environment variable REDIS_PASWORD'''

return true
