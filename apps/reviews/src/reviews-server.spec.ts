import { afterEach, describe, expect, it } from 'vitest';
import { readReviewsConfig } from './reviews-config.js';
import { ratingOf, startReviewsServer, type RunningReviews } from './reviews-server.js';

describe('reviews server', () => {
  let running: RunningReviews | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const start = async (instanceId = 'reviews-zone-b-2') => (running = await startReviewsServer({ instanceId, zone: 'zone-b', host: '127.0.0.1', port: 0 }));

  it('answers GET /reviews/{productId} with the rating and the instance that served it', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/reviews/42`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ productId: '42', rating: ratingOf('42'), servedBy: 'reviews-zone-b-2' });
  });

  it('gives every instance the same rating for a product, between 1 and 5', () => {
    for (const id of ['1', '2', 'abc', 'a-very-long-product-id']) {
      expect(ratingOf(id)).toBe(ratingOf(id));
      expect(ratingOf(id)).toBeGreaterThanOrEqual(1);
      expect(ratingOf(id)).toBeLessThanOrEqual(5);
    }
    expect(new Set(['1', '2', '3', '4', '5'].map(ratingOf)).size).toBeGreaterThan(1);
  });

  it('serves /healthz, and answers unknown paths 404 and writes 405, in JSON', async () => {
    const { url } = await start();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'UP', instanceId: 'reviews-zone-b-2', zone: 'zone-b' });
    const missing = await fetch(`${url}/reviews/`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route for /reviews/' });
    const post = await fetch(`${url}/reviews/1`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('counts answers by status code on GET /metrics', async () => {
    const { url } = await start();
    await (await fetch(`${url}/reviews/1`)).arrayBuffer();
    await (await fetch(`${url}/reviews/2`)).arrayBuffer();
    await (await fetch(`${url}/nope`)).arrayBuffer();
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('zonemesh_reviews_requests_total{instance="reviews-zone-b-2",zone="zone-b",code="200"} 2\n');
    expect(metrics).toContain('zonemesh_reviews_requests_total{instance="reviews-zone-b-2",zone="zone-b",code="404"} 1\n');
  });
});

describe('readReviewsConfig', () => {
  it('reads the instance id, zone, host and port from the environment', () => {
    expect(readReviewsConfig({ ZONEMESH_INSTANCE_ID: 'reviews-zone-a-1', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: '7200' })).toEqual({
      instanceId: 'reviews-zone-a-1',
      zone: 'zone-a',
      host: '127.0.0.1',
      port: 7200,
    });
  });

  it('names the variable that is wrong, in one line', () => {
    expect(() => readReviewsConfig({ ZONEMESH_ZONE: 'zone-a' })).toThrow('ZONEMESH_INSTANCE_ID: required');
    expect(() => readReviewsConfig({ ZONEMESH_INSTANCE_ID: 'r', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: 'http' })).toThrow(
      'ZONEMESH_PORT: expected a port number 0-65535, got "http"',
    );
  });
});
