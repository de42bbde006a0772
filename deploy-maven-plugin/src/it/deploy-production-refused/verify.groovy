def log = new File(basedir, 'build.log').text
assert log.contains('Refusing to deploy to production: not running in GitHub Actions') : log
assert log.contains('-Ddeployer.allowLocalProduction=true')
def ps = ['docker', 'ps', '-aq', '--filter', 'name=tdep-it-prod'].execute().text.trim()
assert ps.isEmpty()
return true
