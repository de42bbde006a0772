// The service's own git repository, as a new user has it: no .gitignore (target/ must not make the tree dirty).
asANewUserHasIt = true
evaluate(new File(hooks, 'own-git-repository.groovy'))
