def log = new File(basedir, 'build.log').text
assert log.contains('The stack references secret(s) [IT_SECRET] but the environment does not set them') : log
assert log.contains('export IT_SECRET=')
assert log.contains('nothing was changed')
def ps = ['docker', 'ps', '-aq', '--filter', 'name=tdep-it-nosecret'].execute().text.trim()
assert ps.isEmpty() : 'containers or locks were created'
return true
