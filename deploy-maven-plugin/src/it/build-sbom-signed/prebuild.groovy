// A fresh commit (so a fresh tag) in the IT's own repository.
evaluate(new File(hooks, 'own-git-repository.groovy'))
