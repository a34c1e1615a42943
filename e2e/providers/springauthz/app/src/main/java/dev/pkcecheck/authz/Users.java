package dev.pkcecheck.authz;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The users of the form login: alice and bob, with the one password from
 * the environment. Two users, because the authorization server remembers
 * consent per user and client: a second run on the same server meets the
 * consent page again when it logs in as the other user.
 */
@Configuration
public class Users {
	@Bean
	UserDetailsService userDetailsService(@Value("${PKCECHECK_SPRING_PASSWORD}") String password) {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}" + password).roles("USER").build(),
				User.withUsername("bob").password("{noop}" + password).roles("USER").build());
	}
}
