// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SpringBootServiceApplicationTests {

	@Autowired
	private RestTestClient http;

	// From service.generated.yml, so this test follows healthCheckPath in .projenrc.ts.
	@Value("${service.health-check-path}")
	private String healthCheckPath;

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

}
