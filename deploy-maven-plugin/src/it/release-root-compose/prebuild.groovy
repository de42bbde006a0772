// The service's own git repository, as a new user has it: no .gitignore (target/ must not make the tree dirty).
// Only the invoker's build.log is excluded, locally (.git/info/exclude): it is the test harness's file, not the service's.
asANewUserHasIt = true
return evaluate(new File(hooks, 'own-git-repository.groovy'))
