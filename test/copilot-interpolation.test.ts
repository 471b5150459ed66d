import { CONTAINER, imported, service } from './copilot-workspace';

/* Copilot substitutes ${COPILOT_APPLICATION_NAME}, ${COPILOT_ENVIRONMENT_NAME} and shell variables in a manifest's
 * values at each deploy (internal/pkg/manifest/interpolate.go); the import writes the values each stage gets. */

const BUILD = ['image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: /', '  healthcheck: /healthz'];
const WORKSPACE = { 'copilot/.workspace': 'application: shop\n' };

describe('a Copilot manifest\'s ${...} values', () => {
  it('gives ${COPILOT_APPLICATION_NAME} the application copilot/.workspace names', () => {
    const result = imported(service(...BUILD, 'secrets:', '  API_KEY: /${COPILOT_APPLICATION_NAME}/api-key'), WORKSPACE);
    expect(result.options).toMatchObject({ ...CONTAINER, secrets: { API_KEY: { ssmParameter: '/shop/api-key' } } });
  });

  it('gives each stage its own secrets and variables where the top level names ${COPILOT_ENVIRONMENT_NAME}, as secret init writes them', () => {
    const result = imported(service(...BUILD,
      'variables:',
      '  LOG_LEVEL: info',
      '  DEPLOYED_TO: ${COPILOT_ENVIRONMENT_NAME}',
      'secrets:',
      '  DB_PASSWORD: /copilot/${COPILOT_APPLICATION_NAME}/${COPILOT_ENVIRONMENT_NAME}/secrets/DB_PASSWORD',
      '  TOKEN:',
      '    secretsmanager: ${COPILOT_ENVIRONMENT_NAME}/token',
      'environments:',
      '  test:',
      '  prod:',
      '    variables:',
      '      DEPLOYED_TO: production',
    ), WORKSPACE);
    expect(result.options.environment).toEqual({ LOG_LEVEL: 'info' });
    expect(result.options.secrets).toBeUndefined();
    expect(result.options.stageOptions).toEqual([
      {
        name: 'test',
        environment: { DEPLOYED_TO: 'test' },
        secrets: { DB_PASSWORD: { ssmParameter: '/copilot/shop/test/secrets/DB_PASSWORD' }, TOKEN: { secretsManager: 'test/token' } },
      },
      {
        // The environment's own value wins, as Copilot's override does.
        name: 'prod',
        environment: { DEPLOYED_TO: 'production' },
        secrets: { DB_PASSWORD: { ssmParameter: '/copilot/shop/prod/secrets/DB_PASSWORD' }, TOKEN: { secretsManager: 'prod/token' } },
      },
    ]);
  });

  it('gives the default stages their names when the manifest has no environments', () => {
    const result = imported(service(...BUILD, 'secrets:', '  DB_PASSWORD: /db/${COPILOT_ENVIRONMENT_NAME}'), WORKSPACE);
    expect(result.options.stageOptions).toEqual([
      { name: 'dev', secrets: { DB_PASSWORD: { ssmParameter: '/db/dev' } } },
      { name: 'production', secrets: { DB_PASSWORD: { ssmParameter: '/db/production' } } },
    ]);
  });

  it('gives ${COPILOT_ENVIRONMENT_NAME} under environments.<name> that name', () => {
    const result = imported(service(...BUILD, 'environments:', '  prod:', '    secrets:', '      DB_PASSWORD: /db/${COPILOT_ENVIRONMENT_NAME}'));
    expect(result.options.stageOptions).toEqual([{ name: 'prod', secrets: { DB_PASSWORD: { ssmParameter: '/db/prod' } } }]);
  });

  it('keeps an escaped \\${NAME} as the text ${NAME}', () => {
    const result = imported(service(...BUILD, 'variables:', '  TEMPLATE: hello \\${USER}'));
    expect(result.options.environment).toEqual({ TEMPLATE: 'hello ${USER}' });
  });

  it('refuses a shell variable, which Copilot read at each deploy: the value must be written', () => {
    expect(() => imported(service(...BUILD, 'variables:', '  RELEASE: ${BUILD_TAG}'))).toThrow(
      'copilot/api/manifest.yml:10: variables.RELEASE "${BUILD_TAG}" is not allowed: ${BUILD_TAG} is a shell variable Copilot read at each deploy; write its value in the manifest (or set it in .projenrc.ts after projen new).');
  });

  it('refuses ${COPILOT_APPLICATION_NAME} when copilot/.workspace names no application', () => {
    expect(() => imported(service(...BUILD, 'secrets:', '  KEY: /${COPILOT_APPLICATION_NAME}/key'))).toThrow(
      'copilot/api/manifest.yml:10: secrets.KEY "/${COPILOT_APPLICATION_NAME}/key" is not allowed: ${COPILOT_APPLICATION_NAME} is the application copilot/.workspace names, and it names none here (application: <name>).');
  });

  it('refuses ${COPILOT_ENVIRONMENT_NAME} at the top level outside variables and secrets, saying where to write each value', () => {
    expect(() => imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  healthcheck: /${COPILOT_ENVIRONMENT_NAME}/health'))).toThrow(
      'copilot/api/manifest.yml:7: http.healthcheck "/${COPILOT_ENVIRONMENT_NAME}/health" is not allowed: ${COPILOT_ENVIRONMENT_NAME} differs per stage, and only variables and secrets are read per stage from the top level; write each environment\'s value under environments.<name>.');
  });
});
