// Original file: proto/inventory.proto


export interface GetStockRequest {
  'productId'?: (string);
}

export interface GetStockRequest__Output {
  'productId': (string);
}
