// Your code: projen-codestar-fargate writes this file once and never overwrites it.
package com.example.springbootservice;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The app's own settings under {@code app:} in application.yml, whose placeholders read the environment variables
 * and secrets that {@code environment} and {@code secrets} in .projenrc.ts give each stage.
 *
 * @param greeting what the sample route answers ({@code GREETING})
 */
@ConfigurationProperties("app")
public record AppProperties(String greeting) {
}
