package acme.svc;

public class Main {
    public static void main(String[] args) {
        System.out.println(acme.lib.Greeting.of("reactor"));
    }
}
