// Original file: proto/catalog.proto


export interface ProductPrice {
  'amount'?: (number | string);
  'currency'?: (string);
  'version'?: (string);
  'discountPercent'?: (number | string);
  'tax'?: (number | string);
  'total'?: (number | string);
  'requestedApiVersion'?: (string);
}

export interface ProductPrice__Output {
  'amount': (number);
  'currency': (string);
  'version': (string);
  'discountPercent': (number);
  'tax': (number);
  'total': (number);
  'requestedApiVersion': (string);
}
