// Fails before anything remote: the message names the parameter, the jar it looked in, and the fix.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the build did not fail'
assert log[failed].endsWith('on project build-no-main-class: <mainClass> (-Ddeployer.mainClass): No main class: deployer.mainClass is not set and build-no-main-class-1.0.0.jar has no Main-Class in its manifest') : log[failed]
assert log[failed + 1].startsWith('[ERROR]   Fix: set <deployer.mainClass>com.acme.Main</deployer.mainClass>')
assert !log.any { it.contains('Registry 127.0.0.1:5443') } : 'nothing remote before the input is valid'
return true
