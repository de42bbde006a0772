// The build must fail with the problem, its location and the fix, as Maven prints them.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the render did not fail'
assert log[failed].endsWith('(default-cli) on project render-latest-in-production: ' + '''target/deployer/production/stack.yml:17:12: Stack rule failed: image '127.0.0.1:5443/deployer/redis:latest' of service redis uses the tag latest; production images must have an explicit tag other than latest, or a digest (rendered from src/main/deploy/stack.yml.vm)''') : log[failed]
assert log[failed + 1] == '[ERROR]   Fix: ' + '''use $image.ref for the service's own image, and a fixed tag or @sha256 digest for others'''

return true
