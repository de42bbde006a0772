package demo;

public class Migrate {
    public static void main(String[] args) {
    }
}
