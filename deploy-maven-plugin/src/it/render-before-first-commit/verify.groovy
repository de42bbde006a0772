// The preview renders with the placeholder tag and says why; the build refuses to tag an image without a commit.
def log = new File(basedir, 'build.log').text
assert log.contains("[WARNING] Not a git repository with a commit yet: previewing with the placeholder tag 'no-commit-yet'. deployer:build and deployer:deploy need a commit") : log
def stack = new File(basedir, 'target/deployer/qa/docker-compose.yml').text
assert stack.contains('image: 127.0.0.1:5443/timage/anysvc-no-commit:no-commit-yet') : stack
assert log.contains('run Deployer inside a git checkout with at least one commit') : 'the build must still need a commit:\n' + log
return true
