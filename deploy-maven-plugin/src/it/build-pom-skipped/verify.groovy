def log = new File(basedir, 'build.log').readLines()
assert log.contains("[INFO] Skipping deployer:build: packaging 'pom' has no image")
assert !new File(basedir, 'target/deployer').exists()
return true
