// The build fails in validate with the finding's file, line, column, rule, message and fix, as Maven prints them.
def log = new File(basedir, 'build.log').readLines()
def finding = log.find { it.startsWith('[ERROR] ') && it.contains('workflows/greet.yml:11:35 [high] template-injection ${{ github.event.issue.title }} is expanded into the run script before it runs') }
assert finding != null : 'the finding is logged'
assert finding.endsWith(' — pass the value through an environment variable (env: TITLE: ${{ ... }}) and use "$TITLE" in the script')
def failed = log.findIndexOf { it.startsWith('[ERROR] Failed to execute goal dev.deployer:deploy-maven-plugin:') }
assert failed >= 0 : 'the audit did not fail the build'
assert log[failed].contains(':audit (default) on project audit-high-finding-fails: ') : log[failed]
assert log[failed].endsWith('workflows/greet.yml:11:35: 1 workflow security finding at or above high:') : log[failed]
assert log[failed + 1].contains('workflows/greet.yml:11:35 [high] template-injection') : log[failed + 1]
assert log.any { it.startsWith('[ERROR]   Fix: fix each finding as described; to accept one deliberately, add deployer.audit.ignore=rule-id:path:reason') }
def sarif = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/deployer/audit.sarif'))
assert sarif.version == '2.1.0'
assert sarif.runs[0].results*.ruleId == ['template-injection']
assert sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine == 11
return true
