// Original file: proto/catalog.proto

import type { ProductPrice as _zonemesh_catalog_v1_ProductPrice, ProductPrice__Output as _zonemesh_catalog_v1_ProductPrice__Output } from '../../../zonemesh/catalog/v1/ProductPrice.js';
import type { ProductStock as _zonemesh_catalog_v1_ProductStock, ProductStock__Output as _zonemesh_catalog_v1_ProductStock__Output } from '../../../zonemesh/catalog/v1/ProductStock.js';
import type { ServedBy as _zonemesh_catalog_v1_ServedBy, ServedBy__Output as _zonemesh_catalog_v1_ServedBy__Output } from '../../../zonemesh/catalog/v1/ServedBy.js';

export interface Product {
  'id'?: (string);
  'name'?: (string);
  'price'?: (_zonemesh_catalog_v1_ProductPrice | null);
  'stock'?: (_zonemesh_catalog_v1_ProductStock | null);
  'servedBy'?: (_zonemesh_catalog_v1_ServedBy | null);
}

export interface Product__Output {
  'id': (string);
  'name': (string);
  'price': (_zonemesh_catalog_v1_ProductPrice__Output | null);
  'stock': (_zonemesh_catalog_v1_ProductStock__Output | null);
  'servedBy': (_zonemesh_catalog_v1_ServedBy__Output | null);
}
