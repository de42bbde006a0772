// Refused before anything is built or pushed: the registry does not know the repository.
def log = new File(basedir, 'build.log').text
assert log.contains('Refusing to push an image for production: not running in GitHub Actions') : log
assert !new File(basedir, 'target/deployer/image.json').exists()
def tags = ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'deployer:deployer-ci-password',
            '--cacert', '/var/lib/deployer-ci/tls/ca.crt', 'https://127.0.0.1:5443/v2/timage/it-prod-refused/tags/list'].execute().text
assert tags == '404' : "the registry answered ${tags} for the refused image's repository"
return true
