// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

// GREETING as the task definition sets it; application.yml's placeholder reads it into AppProperties.
@SpringBootTest(properties = "GREETING=Hello from dev")
class AppPropertiesTests {

	@Autowired
	private AppProperties properties;

	@Test
	void readsTheGreetingFromTheEnvironment() {
		assertThat(this.properties.greeting()).isEqualTo("Hello from dev");
	}

	@Test
	void refusesAnEmptyGreetingAtStartNamingTheVariable() {
		new ApplicationContextRunner().withUserConfiguration(AppProperties.Registration.class)
			.withPropertyValues("app.greeting= ")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure().rootCause().hasMessageStartingWith("GREETING (app.greeting) is empty"));
	}

}
