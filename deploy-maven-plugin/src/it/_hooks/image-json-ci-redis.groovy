// image.json as deployer:build writes it, naming the CI Redis image (already in the registry) by its digest.
def proc = ['docker', 'inspect', '--format', '{{index .RepoDigests 0}}', '127.0.0.1:5443/deployer/redis:7'].execute()
def repoDigest = proc.text.trim()
assert proc.waitFor() == 0 && repoDigest.contains('@sha256:') : "the CI images are missing: run .ci/setup-env.sh (${repoDigest})"
def dir = new File(basedir, 'target/deployer')
dir.mkdirs()
new File(dir, 'image.json').text = """{"image": "127.0.0.1:5443/deployer/redis", "tags": ["7"], "digest": "${repoDigest.substring(repoDigest.indexOf('@') + 1)}", "pushed": true}"""
return true
