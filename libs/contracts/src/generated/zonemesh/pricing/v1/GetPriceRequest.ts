// Original file: proto/pricing.proto


export interface GetPriceRequest {
  'productId'?: (string);
}

export interface GetPriceRequest__Output {
  'productId': (string);
}
