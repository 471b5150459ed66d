// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Names each request by the load balancer's trace id (a new id when there is none): in every log line (the MDC) and in
 * the answer's {@code X-Request-Id}, so one report finds its log lines.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	static final String MDC_KEY = "requestId";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String traceId = request.getHeader("X-Amzn-Trace-Id");
		String requestId = (traceId == null || traceId.isBlank()) ? UUID.randomUUID().toString() : traceId;
		MDC.put(MDC_KEY, requestId);
		response.setHeader("X-Request-Id", requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

}
