// Two candidates: the error lists both (sorted) and says how to choose one, before anything remote.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the build did not fail'
assert log[failed].endsWith('on project build-two-main-classes: <mainClass> (-Ddeployer.mainClass): Several main classes in build-two-main-classes-1.0.0.jar (no Main-Class in its manifest) and classes/: demo.Migrate, demo.Server') : log[failed]
assert log[failed + 1] == '[ERROR]   Fix: choose one: <deployer.mainClass>demo.Migrate</deployer.mainClass> in the POM properties (or <mainClass> in the plugin configuration, or -Ddeployer.mainClass=demo.Migrate)' : log[failed + 1]
assert !log.any { it.contains('Registry 127.0.0.1:5443') } : 'nothing remote before the input is valid'
return true
