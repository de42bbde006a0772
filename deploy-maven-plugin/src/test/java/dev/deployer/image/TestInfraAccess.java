package dev.deployer.image;

/** {@link TestInfra} for tests in other packages (the harness mojo tests). */
public final class TestInfraAccess {

    private TestInfraAccess() {
    }

    public static String registry() {
        return TestInfra.registry();
    }

    public static String username() {
        return TestInfra.username();
    }

    public static String password() {
        return TestInfra.password();
    }

    public static String baseImage() {
        return TestInfra.baseImage();
    }

    public static String baseTar() {
        return TestInfra.baseTar().toString();
    }
}
