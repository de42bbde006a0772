def log = new File(basedir, 'build.log').text
assert log.contains("Refusing to roll back production: ref 'feature-x' is not one of deployer.allowedRefs [main, master]") : log
assert !log.contains('127.0.0.1:9') : 'the target was asked something before the guard refused:\n' + log
assert !log.contains('it-prodrb-secret-77a1')
return true
