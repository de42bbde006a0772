package demo.util;

public class Text {
    public static String name() {
        return "build-main-class-inferred";
    }

    /** Not a main method: an instance method. */
    public void main(String[] args) {
    }
}
