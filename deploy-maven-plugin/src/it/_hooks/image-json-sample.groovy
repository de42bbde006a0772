// What deployer:build leaves behind: the image record, so the tag and digest are known without git.
def record = new File(basedir, 'target/deployer/image.json')
record.parentFile.mkdirs()
record.text = '{"image": "ghcr.io/acme/shop", "tags": ["4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345"], ' +
        '"digest": "sha256:9b2f6a1c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd", "pushed": true}\n'
return true
