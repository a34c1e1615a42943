package dev.pkcecheck.authz;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * pkcecheck's Spring Authorization Server: Spring Boot's auto-configuration
 * of the authorization server, its form login and its consent page, with
 * the clients and the user of application.yml. Nothing else.
 */
@SpringBootApplication
public class Application {
	public static void main(String[] args) {
		SpringApplication.run(Application.class, args);
	}
}
