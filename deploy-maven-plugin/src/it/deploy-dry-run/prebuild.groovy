// image.json as deployer:build writes it, naming the CI Redis image (already in the registry) by its digest.
evaluate(new File(hooks, 'image-json-ci-redis.groovy'))
