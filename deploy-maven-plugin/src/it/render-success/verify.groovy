// deployer:render -Ddeployer.environment=production -Ddeployer.var.DOMAIN=cli.example.com
def out = new File(basedir, 'target/deployer/production')
def sha = '4f1c2e9a7b3d5f60718293a4b5c6d7e8f9012345'
def digest = 'sha256:9b2f6a1c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd'

def files = []
out.eachFileRecurse(groovy.io.FileType.FILES) { files << out.toPath().relativize(it.toPath()).toString() }
assert files.sort() == ['.quantum', 'proxy/Caddyfile', 'stack.yml']

assert new File(out, 'stack.yml').text == """version: '3.8'
services:
  app:
    image: ghcr.io/acme/shop:${sha}@${digest}
    environment:
      DEPLOYER_ENVIRONMENT: production
      DOMAIN: cli.example.com
      REDIS_PASSWORD: '[REDACTED]'
    depends_on:
      - redis
    deploy:
      replicas: 2
      placement:
        constraints:
          - node.hostname == \${QUANTUM_NODE}
  redis:
    image: 127.0.0.1:5443/deployer/redis:7
    command: ["sh", "-c", "exec redis-server --requirepass \\"\$\$REDIS_PASSWORD\\""]
    environment:
      REDIS_PASSWORD: '[REDACTED]'
"""
assert new File(out, 'proxy/Caddyfile').text == '# render-success 1.0.0\ncli.example.com {\n    reverse_proxy app:8080\n}\n'
assert new File(out, '.quantum').text == "---\nversion: '1.0'\ncompose: stack.yml\nenvironments:\n- name: production\n  compose: stack.yml\n"

def log = new File(basedir, 'build.log').readLines()
def expected = [
    '[INFO] Rendered src/main/deploy/proxy/Caddyfile.vm -> target/deployer/production/proxy/Caddyfile',
    '[INFO] Rendered src/main/deploy/stack.yml.vm -> target/deployer/production/stack.yml',
    // the render rules warn (not fail) about a Swarm service of the deployed image without start-first update settings
    '[WARNING] target/deployer/production/stack.yml:11:5: Swarm service app (the deployed image) has no deploy.update_config (Swarm then stops the running task first): requests fail while it updates (rendered from src/main/deploy/stack.yml.vm). Fix: give it deploy.update_config with order: start-first, failure_action: rollback and a monitor window, publish no port on it and let a proxy service publish (see docs/deploy.md, Zero downtime)',
    '[WARNING] target/deployer/production/stack.yml:11:5: Swarm service app (the deployed image) has no deploy.rollback_config (Swarm then stops the running task first): requests fail while it rolls back (rendered from src/main/deploy/stack.yml.vm). Fix: give it deploy.rollback_config with order: start-first, publish no port on it and let a proxy service publish (see docs/deploy.md, Zero downtime)',
    '[INFO] Wrote Quantum descriptor target/deployer/production/.quantum (compose: stack.yml)',
    "[INFO] Rendered 2 files for environment production into target/deployer/production; image ghcr.io/acme/shop:${sha}@${digest} (from target/deployer/image.json); secrets REDIS_PASSWORD shown as [REDACTED]".toString(),
]
def start = log.indexOf(expected[0])
assert start >= 0 : 'no render lines in build.log'
assert log.subList(start, start + expected.size()) == expected
return true
