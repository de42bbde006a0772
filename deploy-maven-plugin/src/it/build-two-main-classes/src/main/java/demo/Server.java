package demo;

public class Server {
    public static void main(String[] args) {
    }
}
