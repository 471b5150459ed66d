import * as fs from 'fs';
import * as path from 'path';
import { describeGeneratedService } from './generated-service';
import { jdkHome } from './harness';
import { DEFAULT_JAVA_VERSION } from '../../src/runtimes/spring-boot';

describeGeneratedService({
  runtime: 'spring-boot',
  enumMember: 'SPRING_BOOT',
  start: (appDir) => ['java', ['-jar', path.join('target', fs.readdirSync(path.join(appDir, 'target')).find((file) => file.endsWith('.jar'))!)]],
  userFile: (appDir) => path.join(appDir, 'src', 'main', 'java', 'com', 'example', 'ordersapi', 'HelloController.java'),
  appSettingsFile: 'app/src/main/resources/service.generated.yml',
  appDependency: {
    spec: 'org.apache.commons/commons-lang3@3.17.0',
    arrived: (service) => /<artifactId>commons-lang3<\/artifactId>\s*<version>3\.17\.0<\/version>/.test(fs.readFileSync(path.join(service, 'app', 'pom.xml'), 'utf-8')),
  },
  // The generated app compiles for the default Java release.
  env: jdkHome(DEFAULT_JAVA_VERSION),
  startupTimeoutMs: 90_000,
  userOwnedFiles: ['main/java/com/example/ordersapi/OrdersApiApplication.java', 'main/java/com/example/ordersapi/HelloController.java', 'main/resources/application.yml', 'test/java/com/example/ordersapi/OrdersApiApplicationTests.java', 'main/java/com/example/ordersapi/AppProperties.java', 'test/java/com/example/ordersapi/AppPropertiesTests.java', 'main/java/com/example/ordersapi/RequestIdFilter.java', 'main/java/com/example/ordersapi/ErrorResponses.java']
    .map((file) => `app/src/${file}`),
  // Only the tests, offline, on what the build compiled: each run starts Maven, a JVM and a Spring context (8 s on a quiet machine, 40 s beside two CPU burners on a busy one).
  skeletonTests: { command: './mvnw', args: ['-B', '-q', '-o', 'surefire:test'], runs: 5 },
});
