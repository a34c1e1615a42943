package dev.pkcecheck.authz;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Adds a Content-Security-Policy that keeps the browser on this server:
 * Spring Authorization Server's default consent page links Bootstrap from
 * stackpath.bootstrapcdn.com, and pkcecheck's tests send traffic to
 * 127.0.0.1 only. The page's markup is unchanged; it shows unstyled.
 */
@Component
public class LocalOnlyPolicy extends OncePerRequestFilter {
	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Content-Security-Policy",
				"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'");
		chain.doFilter(request, response);
	}
}
