// The plugin is not in this POM: the prefix resolves through pluginGroups and the installed plugin metadata.
def log = new File(basedir, 'build.log').readLines()
assert log.any { it.startsWith('[INFO] --- deployer:') && it.contains(':help (default-cli) @ render-help ---') }
assert log.any { it.startsWith('[INFO] Deployer Maven plugin ') }
assert log.contains('deployer:render') : 'help lists the render goal'
assert log.contains('[INFO] BUILD SUCCESS')
return true
