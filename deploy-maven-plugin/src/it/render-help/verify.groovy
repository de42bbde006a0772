// The plugin is not in this POM: the prefix resolves through pluginGroups and the installed plugin metadata.
def log = new File(basedir, 'build.log').readLines()
assert log.any { it.startsWith('[INFO] --- deployer:') && it.contains(':help (default-cli) @ render-help ---') }
assert log.any { it.startsWith('[INFO] Deployer Maven plugin ') }
assert log.contains('deployer:render') : 'help lists the render goal'
assert log.contains('[INFO] BUILD SUCCESS')
// the help points at the plugin site, which the plugin's own build generated (package phase) before the ITs ran
def text = log.join('\n')
assert text.contains('the plugin site') && text.contains('Reference: the plugin site, page') : 'help does not point at the site'
def site = new File(basedir, '../../site')
['plugin-info.html', 'deploy-mojo.html', 'init-mojo.html', 'build-mojo.html'].each { page ->
    assert new File(site, page).isFile() : "the plugin site has no ${page}"
}
def deploy = new File(site, 'deploy-mojo.html').text
assert deploy.contains('deployer.healthUrl') && deploy.contains('deployer.healthTimeout') : 'parameters with their properties'
assert new File(site, 'init-mojo.html').text.contains('deployer.init.redis')
return true
