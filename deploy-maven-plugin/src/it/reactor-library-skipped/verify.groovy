// The library module (no deployer.image, no main class) and the aggregator are skipped with one line each by
// deployer:build and deployer:deploy; the service's image is built with the library as a dependency layer.
def log = new File(basedir, 'build.log').readLines()
def skipped = log.findAll { it.startsWith('[INFO] Skipping deployer:') }
assert skipped.contains("[INFO] Skipping deployer:build: packaging 'pom' has no image") : skipped
assert skipped.contains('[INFO] Skipping deployer:build: not a service (no deployer.image, and no main class: lib-1.0.0.jar (no Main-Class in its manifest) and classes/ has no class with a public static void main(String[]))') : skipped
assert skipped.count { it.startsWith('[INFO] Skipping deployer:deploy: not a service (no deployer.image, no image built, no templates in src/main/deploy)') } == 2 : skipped
assert skipped.size() == 4 : skipped
assert !new File(basedir, 'lib/target/deployer').exists()
def image = new groovy.json.JsonSlurper().parse(new File(basedir, 'svc/target/deployer/image.json'))
assert image.image == '127.0.0.1:5443/timage/anysvc-reactor' && image.outcome == 'tarball'
assert log.any { it.contains('(main class acme.svc.Main, the only class with a main method in classes/)') }
return true
