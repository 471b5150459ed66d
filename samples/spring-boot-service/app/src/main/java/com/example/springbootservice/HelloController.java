// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class HelloController {

	private final AppProperties properties;

	public HelloController(AppProperties properties) {
		this.properties = properties;
	}

	public record Greeting(String message) {
	}

	@GetMapping("/hello")
	public Greeting hello() {
		return new Greeting(this.properties.greeting());
	}

}
