// A repository of its own, committed: init runs in an existing service.
evaluate(new File(hooks, 'own-git-repository.groovy'))
new File(basedir, 'pom.xml.before').text = new File(basedir, 'pom.xml').text
return true
