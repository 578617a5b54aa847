// Original file: proto/pricing.proto


export interface Price {
  'productId'?: (string);
  'amount'?: (number | string);
  'currency'?: (string);
  'version'?: (string);
  'servedBy'?: (string);
  'discountPercent'?: (number | string);
  'tax'?: (number | string);
  'total'?: (number | string);
  'requestedApiVersion'?: (string);
}

export interface Price__Output {
  'productId': (string);
  'amount': (number);
  'currency': (string);
  'version': (string);
  'servedBy': (string);
  'discountPercent': (number);
  'tax': (number);
  'total': (number);
  'requestedApiVersion': (string);
}
