// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The app's own settings under {@code app:} in application.yml, whose placeholders read the environment variables
 * and secrets that {@code environment} and {@code secrets} in .projenrc.ts give each stage.
 *
 * @param greeting what the sample route answers ({@code GREETING})
 */
@ConfigurationProperties("app")
public record AppProperties(String greeting) {

	/** Checked at start, so a task with a bad value fails its deploy, naming the variable, instead of serving wrong answers. */
	public AppProperties {
		if (greeting == null || greeting.isBlank()) {
			throw new IllegalArgumentException("GREETING (app.greeting) is empty: set it to the text the sample route answers, or leave it unset");
		}
	}

	/** Registers these properties itself, so an application class written before them needs no change. */
	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AppProperties.class)
	static class Registration {
	}

}
