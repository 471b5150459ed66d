// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import org.slf4j.MDC;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error answer, a 404 included, is RFC 9457 problem details with the request's id (as the Node.js runtime answers). */
@RestControllerAdvice
class ErrorResponses extends ResponseEntityExceptionHandler {

	/** A server error's message may hold internals: the caller gets the request id, the log has the rest. */
	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception exception, WebRequest request) {
		this.logger.error("request failed", exception);
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The request failed; the log has the cause under this requestId.");
		return handleExceptionInternal(exception, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception exception, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(exception, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			problem.setProperty("requestId", MDC.get(RequestIdFilter.MDC_KEY));
		}
		return response;
	}

}
