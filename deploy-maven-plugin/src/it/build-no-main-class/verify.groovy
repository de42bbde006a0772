// A module that sets deployer.image is a service: no main class anywhere fails (it is not skipped), before anything
// remote, saying what was searched and how to choose.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the build did not fail'
assert log[failed].endsWith('on project build-no-main-class: <mainClass> (-Ddeployer.mainClass): No main class: deployer.mainClass is not set, and build-no-main-class-1.0.0.jar (no Main-Class in its manifest) and classes/ has no class with a public static void main(String[])') : log[failed]
assert log[failed + 1].startsWith('[ERROR]   Fix: set <deployer.mainClass>com.acme.Main</deployer.mainClass> in the POM properties (or -Ddeployer.mainClass=com.acme.Main)') : log[failed + 1]
assert !log.any { it.contains('Registry 127.0.0.1:5443') } : 'nothing remote before the input is valid'
return true
