// The build must fail with the problem, its location and the fix, as Maven prints them.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the render did not fail'
assert log[failed].endsWith('(default-cli) on project render-undefined-variable: ' + '''src/main/deploy/stack.yml.vm:7:21: Undefined variable $vars.DOMIAN''') : log[failed]
assert log[failed + 1] == '[ERROR]   Fix: ' + '''define it in the plugin's <variables><DOMIAN>…</DOMIAN></variables>, or pass -Ddeployer.var.DOMIAN=… (or a <deployer.var.DOMIAN> property in a profile)'''
assert !new File(basedir, 'target/deployer/local').exists() : 'nothing is written when a template fails'
return true
