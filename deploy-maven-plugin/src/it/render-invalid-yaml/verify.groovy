// The build must fail with the problem, its location and the fix, as Maven prints them.
def log = new File(basedir, 'build.log').readLines()
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the render did not fail'
assert log[failed].endsWith('(default-cli) on project render-invalid-yaml: ' + '''target/deployer/local/stack.yml:13:6: Not valid YAML: while parsing a block mapping, expected <block end>, but found '<block mapping start>' (rendered from src/main/deploy/stack.yml.vm)''') : log[failed]
assert log[failed + 1] == '[ERROR]   Fix: ' + '''fix src/main/deploy/stack.yml.vm so that it renders valid YAML (look at the rendered file; indentation and quoting of values are the usual causes)'''
assert new File(basedir, 'target/deployer/local/stack.yml').readLines()[12] == '     placement: broken'
return true
