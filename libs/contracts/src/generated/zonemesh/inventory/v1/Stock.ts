// Original file: proto/inventory.proto


export interface Stock {
  'productId'?: (string);
  'available'?: (number);
  'warehouse'?: (string);
  'servedBy'?: (string);
}

export interface Stock__Output {
  'productId': (string);
  'available': (number);
  'warehouse': (string);
  'servedBy': (string);
}
