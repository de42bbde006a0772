// One audit for the whole build: the first module audits, the others say who did; medium findings only warn.
def log = new File(basedir, 'build.log').readLines()
assert log.count { it.startsWith('[INFO] Auditing GitHub workflows in ') } == 1
assert log.count { it.contains(' already audited in this build by dev.deployer.it:audit-once-per-build:pom:1.0.0') } == 2
def warning = log.find { it.startsWith('[WARNING] ') && it.contains('workflows/ci.yml:4:3 [medium] permissions-missing job \'test\' has no \'permissions\'') }
assert warning != null : 'the medium finding is a warning'
assert log.any { it == '[INFO] Audit: 1 file, 1 finding (0 high, 1 medium, 0 low, 0 info), 0 suppressed' }
assert log.any { it.startsWith('[INFO] BUILD SUCCESS') }
return true
