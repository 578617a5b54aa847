// The benchmark's baseline: the same HTTP -> gRPC hop as the gateway, written
// the plainest way (bare Fastify route, plain grpc-js client, default
// pick_first channel, no framework, no balancing library). Run as its own
// process so both sides of the ratio pay the same process costs.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CATALOG_CONTRACT, contractLoaderOptions } from '@zonemesh/contracts';
import Fastify from 'fastify';

const port = Number(process.env.BENCH_PORT ?? 0);
const catalogAddress = process.env.BENCH_CATALOG ?? '';
const definition = protoLoader.loadSync(CATALOG_CONTRACT.protoPath, contractLoaderOptions);
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  zonemesh: { catalog: { v1: { CatalogService: grpc.ServiceClientConstructor } } };
};
const client = new loaded.zonemesh.catalog.v1.CatalogService(catalogAddress, grpc.credentials.createInsecure()) as unknown as {
  GetProduct(request: { id: string }, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, product?: unknown) => void): void;
};

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/api/products/:id', (request, reply) => {
  client.GetProduct({ id: request.params.id }, { deadline: Date.now() + 3000 }, (error, product) => {
    if (error) void reply.status(503).send({ error: error.message });
    else void reply.send(product);
  });
});
await app.listen({ port, host: '127.0.0.1' });
console.log(JSON.stringify({ event: 'ready', instanceId: 'bare-gateway', address: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` }));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
