package demo.shop;

import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Counts hits in Redis; /actuator/health is UP only while Redis answers. */
@SpringBootApplication
@RestController
public class ShopApplication {

    private final StringRedisTemplate redis;
    private final String version;

    public ShopApplication(StringRedisTemplate redis, @Value("${APP_VERSION:unknown}") String version) {
        this.redis = redis;
        this.version = version;
    }

    @PostMapping("/hits")
    public Map<String, Object> hit() {
        return Map.of("hits", redis.opsForValue().increment("hits"));
    }

    @GetMapping("/version")
    public Map<String, String> version() {
        return Map.of("version", version);
    }

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
