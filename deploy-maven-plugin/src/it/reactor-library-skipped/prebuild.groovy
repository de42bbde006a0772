// A real commit to tag the image with (its own repository: the IT must not depend on the checkout around it), and the
// test base image from .ci/setup-env.sh as tar://base.tar.
import java.nio.file.Files
import java.nio.file.Path

def env = new File('/var/lib/deployer-ci/env.sh')
assert env.exists() : 'no /var/lib/deployer-ci/env.sh: run .ci/setup-env.sh first'
def tar = env.readLines().find { it.startsWith('export DEPLOYER_TEST_BASE_TAR=') }?.split('=', 2)?.getAt(1)
assert tar && new File(tar).exists() : 'DEPLOYER_TEST_BASE_TAR missing: run .ci/setup-env.sh'
Files.deleteIfExists(basedir.toPath().resolve('base.tar'))
Files.createSymbolicLink(basedir.toPath().resolve('base.tar'), Path.of(tar))

evaluate(new File(hooks, 'own-git-repository.groovy'))
