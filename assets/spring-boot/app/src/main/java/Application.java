// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package {{javaPackage}};

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class {{applicationClass}} {

	public static void main(String[] args) {
		SpringApplication.run({{applicationClass}}.class, args);
	}

}
