// REDIS_PASSWORD was set in the build's environment and the build ran with -X: its value must appear nowhere
// in what the build left behind (target/, build.log), while the rendered stack shows [REDACTED].
def props = new Properties()
new File(basedir, 'invoker.properties').withInputStream { props.load(it) }
def secret = props.getProperty('invoker.environmentVariables.REDIS_PASSWORD')
assert secret != null && secret.length() > 20

def log = new File(basedir, 'build.log')
assert log.text.contains('[DEBUG] ') : 'the build must run with -X'
assert log.text.contains('secrets REDIS_PASSWORD shown as [REDACTED]')

def leaks = []
new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { if (it.text.contains(secret)) leaks << it }
if (log.text.contains(secret)) leaks << log
assert leaks.isEmpty() : "the secret value leaked into ${leaks}"

def stack = new File(basedir, 'target/deployer/production/stack.yml').text
assert stack.count("REDIS_PASSWORD: '[REDACTED]'") == 2
return true
