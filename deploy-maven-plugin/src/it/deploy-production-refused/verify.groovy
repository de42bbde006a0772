// No image.json (nothing built): outside GitHub Actions the refusal is the reason given, not the missing image record.
def log = new File(basedir, 'build.log').text
assert log.contains('Refusing to deploy to production: not running in GitHub Actions') : log
assert log.contains('-Ddeployer.allowLocalProduction=true')
assert !log.contains('image.json') : 'the guard must answer before image.json is looked for:\n' + log
def ps = ['docker', 'ps', '-aq', '--filter', 'name=tdep-it-prod'].execute().text.trim()
assert ps.isEmpty()
return true
