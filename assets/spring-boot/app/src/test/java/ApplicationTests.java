// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package {{javaPackage}};

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import({{applicationClass}}Tests.TestRoutes.class)
class {{applicationClass}}Tests {

	@Autowired
	private RestTestClient http;

	// From service.generated.yml, so this test follows healthCheckPath in .projenrc.ts.
	@Value("${service.health-check-path}")
	private String healthCheckPath;

	/** Routes only the tests serve: one that fails, one that shows what the app sees of the client. */
	@RestController
	static class TestRoutes {

		@GetMapping("/fails")
		String fails() {
			throw new IllegalStateException("the database password is hunter2");
		}

		@GetMapping("/client")
		Map<String, String> client(HttpServletRequest request) {
			return Map.of("ip", request.getRemoteAddr(), "scheme", request.getScheme());
		}

	}

	@Test
	void answersTheLoadBalancerHealthCheck() {
		this.http.get().uri(this.healthCheckPath).exchange()
			.expectStatus().isOk()
			.expectBody().json("""
					{"status":"UP"}""", JsonCompareMode.STRICT);
	}

	@Test
	void servesTheSampleRoute() {
		this.http.get().uri("/hello").exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.message").isEqualTo("Hello, World!");
	}

	@Test
	void exposesNoOtherActuatorEndpoint() {
		for (String path : new String[] { "/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops" }) {
			this.http.get().uri(path).exchange().expectStatus().isNotFound();
		}
	}

	@Test
	void namesEachRequestByTheLoadBalancersTraceIdAndReturnsIt() {
		String traceId = "Root=1-67891233-abcdef012345678912345678";
		this.http.get().uri("/hello").header("X-Amzn-Trace-Id", traceId).exchange()
			.expectHeader().valueEquals("X-Request-Id", traceId);
		this.http.get().uri("/hello").exchange()
			.expectHeader().valueMatches("X-Request-Id", "[0-9a-f-]{36}");
	}

	@Test
	void answersAPathItDoesNotServeWithProblemDetails() {
		this.http.get().uri("/no-such-path").header("X-Amzn-Trace-Id", "Root=1-a").exchange()
			.expectStatus().isNotFound()
			.expectBody().json("""
					{"title":"Not Found","status":404,"instance":"{{contextPath}}/no-such-path","requestId":"Root=1-a"}""", JsonCompareMode.LENIENT);
	}

	@Test
	void answersAFailedRouteWithTheSameShapeWithoutTheErrorsMessage() {
		this.http.get().uri("/fails").header("X-Amzn-Trace-Id", "Root=1-b").exchange()
			.expectStatus().is5xxServerError()
			.expectBody().json("""
					{"title":"Internal Server Error","status":500,"instance":"{{contextPath}}/fails","requestId":"Root=1-b",
					 "detail":"The request failed; the log has the cause under this requestId."}""", JsonCompareMode.LENIENT);
	}

	@Test
	void takesTheClientsAddressAndSchemeFromTheLoadBalancersForwardedHeaders() {
		this.http.get().uri("/client").header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https").exchange()
			.expectBody().json("""
					{"ip":"203.0.113.7","scheme":"https"}""", JsonCompareMode.STRICT);
	}

}
