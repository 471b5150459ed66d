// moto's server on 127.0.0.1 as the AWS a test may call, and a recording proxy in front of it for the calls moto lacks.
import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/** A running moto server; `stop()` ends exactly the process the test started. */
export interface Moto {
  readonly url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, from the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `moto_server` (from PATH: the test venv) and waits until it answers. */
export async function startMoto(env: NodeJS.ProcessEnv = {}): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited (${child.exitCode}); is moto[server] from requirements-dev.txt installed and on PATH?\n${output}`);
    }
    if (await isAnswering(`${url}/moto-api/`)) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${url} within 30 s:\n${output}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function isAnswering(url: string): Promise<boolean> {
  return new Promise(resolve => {
    http.get(url, response => {
      response.resume();
      resolve(true);
    }).on('error', () => resolve(false));
  });
}

/** One request an SDK sent: its operation (`ECS.ExecuteCommand`, `CloudFormation.UpdateStack`) and its parameters. */
export interface RecordedRequest {
  readonly operation: string;
  /** The JSON body of a JSON-protocol call, or the form fields of a query-protocol call. */
  readonly parameters: Record<string, unknown>;
}

/** Canned answers by operation, for calls moto does not implement; the rest go to moto. */
export type CannedAnswers = Record<string, (parameters: Record<string, unknown>) => Record<string, unknown>>;

export interface RecordingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers to add or replace while the proxy runs. */
  readonly answers: CannedAnswers;
  stop(): Promise<void>;
}

/** The short names of the JSON-protocol target prefixes the commands use. */
const TARGET_SERVICES: Record<string, string> = {
  AmazonEC2ContainerServiceV20141113: 'ECS',
  CodePipeline_20150709: 'CodePipeline',
  Logs_20140328: 'Logs',
  AmazonEC2ContainerRegistry_V20150921: 'ECR',
  GraniteServiceVersion20100801: 'CloudWatch',
};

/** Records every request and forwards it to moto, unless `answers` has the operation. */
export async function startRecordingProxy(targetUrl: string, answers: CannedAnswers = {}): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const target = new URL(targetUrl);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded = describeRequest(request, body);
      requests.push(recorded);
      const canned = answers[recorded.operation];
      if (canned) {
        const answer = JSON.stringify(canned(recorded.parameters));
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(answer) });
        response.end(answer);
        return;
      }
      const forwarded = http.request({
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host },
      }, upstream => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      });
      forwarded.on('error', error => {
        response.writeHead(502);
        response.end(String(error));
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}

function describeRequest(request: http.IncomingMessage, body: Buffer): RecordedRequest {
  const amzTarget = request.headers['x-amz-target'];
  if (typeof amzTarget === 'string') {
    const [prefix, action] = amzTarget.split('.');
    return { operation: `${TARGET_SERVICES[prefix] ?? prefix}.${action}`, parameters: body.length ? JSON.parse(body.toString()) : {} };
  }
  const form = Object.fromEntries(new URLSearchParams(body.toString()));
  // Query-protocol services (CloudFormation, STS) name the operation in the form; the credential scope names the service.
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'unknown';
  return { operation: `${service}.${form.Action ?? request.url}`, parameters: form };
}
