import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_CONTRACT,
  INVENTORY_CONTRACT,
  PRICING_CONTRACT,
  PRICING_PROTO_PATH,
  loadContracts,
  type CatalogProtoGrpcType,
  type InventoryProtoGrpcType,
  type Price,
  type Price__Output,
} from './index.js';

describe('loadContracts', () => {
  it('defines every mesh service under its fully qualified name', () => {
    const definition = loadContracts();
    for (const contract of [CATALOG_CONTRACT, PRICING_CONTRACT, INVENTORY_CONTRACT]) {
      expect(definition[contract.fullName], contract.fullName).toBeDefined();
    }
    expect(Object.keys(definition[PRICING_CONTRACT.fullName])).toEqual(['GetPrice']);
  });

  it('loads a subset when given paths', () => {
    const definition = loadContracts([PRICING_PROTO_PATH]);
    expect(definition['zonemesh.pricing.v1.PricingService']).toBeDefined();
    expect(definition['zonemesh.catalog.v1.CatalogService']).toBeUndefined();
  });

  it('round-trips camelCase fields with defaults filled in, as the generated types say', () => {
    const definition = loadContracts();
    const method = (definition[PRICING_CONTRACT.fullName] as grpc.ServiceDefinition).GetPrice;
    const sent: Price = { productId: '42', amount: 12.5, currency: 'EUR', version: 'v1', servedBy: 'pricing-zone-a-1' };
    const received = method.responseDeserialize(method.responseSerialize(sent)) as Price__Output;
    expect(received).toEqual({ ...sent, discountPercent: 0, tax: 0, total: 0, requestedApiVersion: '' });
  });

  it('gives grpc-js a client constructor for each service', () => {
    const root = grpc.loadPackageDefinition(loadContracts()) as unknown as CatalogProtoGrpcType & InventoryProtoGrpcType;
    expect(typeof root.zonemesh.catalog.v1.CatalogService).toBe('function');
    expect(typeof root.zonemesh.inventory.v1.InventoryService).toBe('function');
  });
});
