// Container healthcheck without curl or grpc_health_probe in the image:
//   node infra/docker/healthcheck.mjs http <url>        2xx = healthy
//   node infra/docker/healthcheck.mjs grpc <host:port>  grpc.health.v1 SERVING = healthy
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

const [kind, target] = process.argv.slice(2);
const fail = (why) => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

if (kind === 'http') {
  try {
    const response = await fetch(target, { signal: AbortSignal.timeout(2500), headers: { accept: 'application/json' } });
    process.exit(response.ok ? 0 : 1);
  } catch (error) {
    fail(error.message);
  }
} else if (kind === 'grpc') {
  const Client = grpc.makeClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Client(target, grpc.credentials.createInsecure());
  client.Check({ service: '' }, { deadline: Date.now() + 2500 }, (error, response) => {
    client.close();
    if (error) fail(error.message);
    const status = response?.status;
    process.exit(status === 'SERVING' || status === 1 ? 0 : 1);
  });
} else {
  fail('usage: healthcheck.mjs http <url> | grpc <host:port>');
}
