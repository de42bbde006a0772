package demo;

/** A class without a main method: nothing for the image to run. */
public class Library {
    public static int twice(int value) {
        return 2 * value;
    }
}
